// Where a client may have its authorization codes sent. OAuth 2.1's rules for redirect URIs: https, or (for native
// apps, which cannot hold an https address) http on the loopback interface only; never a fragment. A redirect URI
// in an authorization request is then compared with the registered ones as plain strings (no normalisation, no
// prefix match), so a code can never be sent anywhere its client did not name in advance (no open redirect).

export const MAX_REDIRECT_URI_LENGTH = 2000;

/** The loopback host names OAuth 2.1 lets native apps use over http (URL.hostname spells IPv6 in brackets). */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

export const isLoopbackHost = (hostname: string): boolean => LOOPBACK_HOSTS.has(hostname.toLowerCase());

/** Why this redirect URI cannot be registered, in a sentence; null when it can. */
export function redirectUriProblem(uri: string): string | null {
  if (uri.length > MAX_REDIRECT_URI_LENGTH) return `A redirect URI is longer than ${MAX_REDIRECT_URI_LENGTH} characters.`;
  if (!URL.canParse(uri)) return `"${uri.slice(0, 200)}" is not an absolute URL.`;
  const url = new URL(uri);
  if (uri.includes("#")) return `The redirect URI ${uri} has a fragment (#...); redirect URIs must not.`;
  if (url.username || url.password) return `The redirect URI ${uri} carries a user name or password; redirect URIs must not.`;
  if (url.protocol === "https:") return url.hostname ? null : `The redirect URI ${uri} has no host.`;
  if (url.protocol === "http:") {
    if (isLoopbackHost(url.hostname)) return null;
    return `The redirect URI ${uri} uses http on a host other than loopback: use https, or http on 127.0.0.1, [::1] or localhost for an app on the user's machine.`;
  }
  return `The redirect URI ${uri.slice(0, 200)} uses the scheme ${url.protocol} Portcullis accepts https, or http on 127.0.0.1, [::1] or localhost.`;
}

/** Whether `uri` is one of the client's registered redirect URIs, compared exactly. */
export function isRegisteredRedirectUri(registered: readonly string[], uri: string): boolean {
  return registered.includes(uri);
}
