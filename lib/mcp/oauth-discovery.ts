// Gateways take grant keys, not OAuth. Clients that start an OAuth sign-in on a 401 (the Inspector, mcp-remote,
// Claude Code) look for its metadata and endpoints on the gateway's origin and show whatever the last of those
// answers; so each one answers 404 with the gateway's own sentence in JSON (an OAuth error body, which the SDK's
// client turns into its error message), never the console's HTML page.

/** What a person must do: the same sentence wherever a client looks for OAuth. */
export const GRANT_KEYS_NOT_OAUTH =
  "This Portcullis gateway takes grant keys, not OAuth sign-in: send the key in the header `Authorization: Bearer pcg_...`. " +
  "A key that is refused is unknown, revoked or not granted this server: create one on the Grants page of the Portcullis console " +
  "(Activity lists each refused request and why).";

/** The metadata documents clients look for (RFC 9728, RFC 8414, OpenID Connect Discovery). */
const WELL_KNOWN = /(^|\/)\.well-known\/(oauth-protected-resource|oauth-authorization-server|openid-configuration)(\/|$)/;
/** The endpoints a client falls back to at the origin when no metadata is found (MCP 2025-03-26). */
const FALLBACK_ENDPOINTS = new Set(["/register", "/authorize", "/token"]);

/**
 * Whether a request path (without its query) is one where a client looks for OAuth: the well-known documents at the
 * origin's root or under a gateway URL (`/gateway/<id>/mcp/.well-known/...`), and the fallback endpoints.
 */
export function isOAuthDiscoveryPath(pathname: string): boolean {
  if (FALLBACK_ENDPOINTS.has(pathname)) return true;
  return WELL_KNOWN.test(pathname) && (pathname.startsWith("/.well-known/") || pathname.startsWith("/gateway/"));
}

/**
 * The answer on such a path: 404 with an OAuth error body (`error`, `error_description`). Any origin may read it
 * (it holds nothing private), so a client running in a browser can show the sentence too.
 */
export function oauthDiscoveryAnswer(method: string): { status: number; headers: Record<string, string>; body: string } {
  const cors = { "access-control-allow-origin": "*" };
  if (method === "OPTIONS") {
    return {
      status: 204,
      headers: { ...cors, "access-control-allow-methods": "GET, POST", "access-control-allow-headers": "authorization, content-type, mcp-protocol-version" },
      body: "",
    };
  }
  const body = JSON.stringify({ error: "invalid_request", error_description: GRANT_KEYS_NOT_OAUTH });
  return { status: 404, headers: { ...cors, "content-type": "application/json", "cache-control": "no-store" }, body };
}
