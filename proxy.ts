import { NextResponse, type NextRequest } from "next/server";
import { isHttpsRequest } from "@/lib/http/request-origin";
import { consoleContentSecurityPolicy, createNonce, STRICT_TRANSPORT_SECURITY } from "@/lib/http/security-headers";

// Runs for console pages. Passes the requested path to server components, so a signed-out visitor is sent back
// to it after sign-in, and gives each page its Content-Security-Policy with a fresh nonce: Next.js reads the
// nonce from the request's CSP header and puts it on its scripts; the root layout passes it to next-themes.
export function proxy(request: NextRequest) {
  const nonce = createNonce();
  const https = isHttpsRequest(request);
  // The OAuth consent page shows the client's logo, an https image on the client's own host.
  const httpsImages = request.nextUrl.pathname === "/authorize";
  const policy = consoleContentSecurityPolicy({ nonce, development: process.env.NODE_ENV === "development", https, httpsImages });
  const headers = new Headers(request.headers);
  headers.set("x-portcullis-path", request.nextUrl.pathname + request.nextUrl.search);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  if (https) response.headers.set("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  return response;
}

export const config = { matcher: ["/((?!api/|gateway/|_next/|favicon.ico).*)"] };
