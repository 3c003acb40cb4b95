// Where OAuth clients look for sign-in on a gateway's origin. The app serves the documents and endpoints of its
// authorization server (app/.well-known/..., /authorize, /token, /register, /revoke: lib/oauth-endpoints). Clients
// also try other well-known addresses (OpenID Connect discovery, documents under the gateway path); those are
// answered 404 with a sentence in JSON (an OAuth error body, which the SDK's client turns into its error message),
// never the console's HTML page.

/** What a person or client should know where there is no OAuth document: where the real ones are. */
export const NO_OAUTH_DOCUMENT_HERE =
  "Portcullis has no OAuth document at this address. A gateway URL's protected resource metadata is at " +
  "/.well-known/oauth-protected-resource/gateway/<server id>/mcp, and Portcullis's authorization server metadata at " +
  "/.well-known/oauth-authorization-server. Clients without OAuth send a grant key instead: `Authorization: Bearer pcg_...`, " +
  "created on the Grants page of the Portcullis console (Activity lists each refused request and why).";

/** The metadata documents clients look for (RFC 9728, RFC 8414, OpenID Connect Discovery). */
const WELL_KNOWN = /(^|\/)\.well-known\/(oauth-protected-resource|oauth-authorization-server|openid-configuration)(\/|$)/;

/** The app's own OAuth addresses (Next.js routes): its endpoints, and its two documents at the paths it serves them. */
const APP_ENDPOINTS = new Set(["/authorize", "/token", "/register", "/revoke", "/.well-known/oauth-authorization-server"]);
const APP_DOCUMENTS = /^\/\.well-known\/(oauth-protected-resource|oauth-authorization-server)\/gateway\/[^/]+\/mcp$/;

/** Whether the app serves this path as part of its authorization server (then it is never answered here). */
export function isOAuthAppPath(pathname: string): boolean {
  return APP_ENDPOINTS.has(pathname) || APP_DOCUMENTS.test(pathname);
}

/**
 * Whether a request path (without its query) is one where a client looks for OAuth and finds no document: the
 * well-known addresses at the origin's root or under a gateway URL (`/gateway/<id>/mcp/.well-known/...`) that are
 * not the app's own.
 */
export function isOAuthDiscoveryPath(pathname: string): boolean {
  if (isOAuthAppPath(pathname)) return false;
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
  const body = JSON.stringify({ error: "invalid_request", error_description: NO_OAUTH_DOCUMENT_HERE });
  return { status: 404, headers: { ...cors, "content-type": "application/json", "cache-control": "no-store" }, body };
}
