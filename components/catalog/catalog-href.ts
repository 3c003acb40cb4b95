// Addresses of catalog pages. Registry names hold a "/" (io.github.owner/server): it is encoded, so a server or
// tool is always one path segment and its URL is stable.

export function catalogServerHref(server: string): string {
  return `/catalog/servers/${encodeURIComponent(server)}`;
}

export function catalogToolHref(server: string, tool: string): string {
  return `${catalogServerHref(server)}/tools/${encodeURIComponent(tool)}`;
}

/** A path segment as the page receives it: decoded once, and left alone when it is not valid percent-encoding. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
