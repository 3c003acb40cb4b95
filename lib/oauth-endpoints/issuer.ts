import { publicUrl } from "@/lib/env";
import { requestOrigin } from "@/lib/http/request-origin";

// Portcullis's issuer (RFC 8414), which is also the origin of the gateway URLs its tokens are for: the operator's
// PORTCULLIS_PUBLIC_URL when set, else the origin the request reached. The console shows gateway URLs on the same
// origin (components/servers/use-gateway-origin.ts), so a URL pasted from the console names this issuer.

/** The issuer for a request: a route handler's, or a page's (its headers, with no URL). */
export function oauthIssuer(request: { headers: Headers; url?: string }): string {
  const configured = publicUrl();
  if (configured) return configured;
  const url = request.url ?? "";
  return requestOrigin({ headers: request.headers, url }) ?? (URL.canParse(url) ? new URL(url).origin : "http://localhost");
}
