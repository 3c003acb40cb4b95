// Which Host names the gateway answers (DNS-rebinding protection): a page on evil.example that rebinds its name to
// this machine sends requests whose Origin and URL agree, so only the Host name can tell them apart.

const LOOPBACK = ["localhost", "127.0.0.1", "::1"];

/**
 * Host names (no port) the gateway should accept, or undefined for any: the public URL's host when one is set, and
 * the loopback names when the server listens on loopback only. A server bound to every interface with no public URL
 * cannot know its names, so it checks none.
 */
export function gatewayAllowedHosts(publicUrl: string | undefined, bindHost: string): string[] | undefined {
  const names = new Set<string>();
  if (publicUrl) names.add(new URL(publicUrl).hostname.replace(/^\[|\]$/g, "").toLowerCase());
  if (LOOPBACK.includes(bindHost.replace(/^\[|\]$/g, "").toLowerCase())) for (const name of LOOPBACK) names.add(name);
  return names.size > 0 ? [...names] : undefined;
}
