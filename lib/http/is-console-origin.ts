import { requestOrigin } from "@/lib/http/request-origin";

/**
 * Whether a browser's Origin header names this console: exactly the origin the request reached (scheme, host and
 * port), or one of the configured public URLs (NEXTAUTH_URL, PORTCULLIS_PUBLIC_URL) for proxies that rewrite Host.
 * Browsers send Origin serialized, so an exact comparison is right; `null`, garbage or another scheme, host or
 * port never match.
 */
export function isConsoleOrigin(origin: string, request: { headers: Headers; url: string }, configuredUrls: (string | undefined)[]): boolean {
  // An opaque origin (sandboxed frames, file:, data:) is never this console; a URL with no host also serializes to "null".
  if (origin === "null") return false;
  if (origin === requestOrigin(request)) return true;
  return configuredUrls.some((url) => url !== undefined && URL.canParse(url) && new URL(url).origin === origin);
}
