import { getToken } from "next-auth/jwt";
import { authSecret } from "@/lib/env";

/** The user id in a request's session cookie, or null. Reads the request itself, so it works in any handler. */
export async function sessionUserId(request: Request): Promise<string | null> {
  const cookies = parseCookies(request.headers.get("cookie") ?? "");
  const secureCookie = Object.keys(cookies).some((name) => name.startsWith("__Secure-next-auth.session-token"));
  if (!secureCookie && !Object.keys(cookies).some((name) => name.startsWith("next-auth.session-token"))) return null;
  // next-auth reads chunked session cookies from `cookies`; the authorization header is left out on purpose so
  // a bearer value is never mistaken for a session.
  const token = await getToken({ req: { cookies, headers: {} } as never, secret: authSecret(), secureCookie });
  return typeof token?.sub === "string" ? token.sub : null;
}

export function parseCookies(header: string): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    const raw = part.slice(index + 1).trim();
    try {
      cookies[name] = decodeURIComponent(raw);
    } catch {
      cookies[name] = raw;
    }
  }
  return cookies;
}
