import { getToken } from "next-auth/jwt";
import { liveSessionUserId } from "@/lib/auth/live-session-user-id";
import { authSecret } from "@/lib/env";

/**
 * The user of a request's session cookie, or null. The cookie's signature is not enough: its session must still be
 * live in the database (see liveSessionUserId), so a signed-out cookie replayed anywhere is refused. Reads the
 * request itself, so it works in any handler.
 */
export async function sessionUserId(request: Request): Promise<string | null> {
  return sessionUserIdFromCookies(parseCookies(request.headers.get("cookie") ?? ""));
}

export async function sessionUserIdFromCookies(cookies: Record<string, string>): Promise<string | null> {
  const sessionId = await sessionIdFromCookies(cookies);
  return sessionId ? liveSessionUserId(sessionId) : null;
}

/** The session id inside a validly signed session cookie, whether or not that session is still live. */
export async function sessionIdFromCookies(cookies: Record<string, string>): Promise<string | null> {
  const secureCookie = Object.keys(cookies).some((name) => name.startsWith("__Secure-next-auth.session-token"));
  if (!secureCookie && !Object.keys(cookies).some((name) => name.startsWith("next-auth.session-token"))) return null;
  // next-auth reads chunked session cookies from `cookies`; the authorization header is left out on purpose so
  // a bearer value is never mistaken for a session.
  const token = await getToken({ req: { cookies, headers: {} } as never, secret: authSecret(), secureCookie });
  // Cookies from before sessions were recorded carry no session id: they cannot be ended, so they are refused.
  return typeof token?.sid === "string" ? token.sid : null;
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
