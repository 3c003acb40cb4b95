/**
 * The origin (scheme://host[:port]) a request reached this console on. scripts/server.ts keeps X-Forwarded-Proto
 * and X-Forwarded-Host only from trusted proxies (TRUST_PROXY_HOPS) and Next.js fills them in from the socket
 * otherwise, so behind a TLS-terminating proxy this is the public https:// origin. Null when it cannot be told.
 */
export function requestOrigin(request: { headers: Headers; url: string }): string | null {
  const first = (name: string) => request.headers.get(name)?.split(",")[0]?.trim() || null;
  const host = first("x-forwarded-host") ?? request.headers.get("host");
  if (!host) return URL.canParse(request.url) ? new URL(request.url).origin : null;
  const candidate = `${first("x-forwarded-proto") === "https" ? "https" : "http"}://${host}`;
  return URL.canParse(candidate) ? new URL(candidate).origin : null;
}

/** Whether the request came over HTTPS, to this server or to a trusted proxy in front of it. */
export function isHttpsRequest(request: { headers: Headers; url: string }): boolean {
  return requestOrigin(request)?.startsWith("https://") ?? false;
}
