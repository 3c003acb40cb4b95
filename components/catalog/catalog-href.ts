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

/** "Use this policy": a console page that finds the signed-in user's server for this catalog tool. */
export function catalogPolicyHref(server: string, tool: string): string {
  return `/policies/from-catalog?${new URLSearchParams({ server, tool })}`;
}

/** A registered server's policy editor, its draft starting with the catalog's rule for this tool. */
export function policyDraftHref(serverId: string, catalogServer: string, tool: string): string {
  return `/servers/${serverId}/policy?${new URLSearchParams({ catalogServer, catalogTool: tool })}`;
}

/** The register form, prefilled from a catalog entry; with a tool, it goes on to the policy draft once registered. */
export function registerFromCatalogHref(catalogServer: string, tool?: string): string {
  return `/servers/new?${new URLSearchParams(tool ? { catalogServer, catalogTool: tool } : { catalogServer })}`;
}
