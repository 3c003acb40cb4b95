import { expect } from "@playwright/test";

// Signing in and out over HTTP the way the console's forms do (next-auth's credentials callback and sign-out POST,
// each with its CSRF token), for tests that talk to app instances directly.

async function csrf(baseUrl: string, headers: Record<string, string>): Promise<{ csrfToken: string; cookie: string }> {
  const response = await fetch(`${baseUrl}/api/auth/csrf`, { headers });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { csrfToken, cookie: response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") };
}

/** Signs in and returns the session cookie as `name=value`. */
export async function signInOverHttp(baseUrl: string, email: string, password: string, headers: Record<string, string> = {}): Promise<string> {
  const { csrfToken, cookie } = await csrf(baseUrl, headers);
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken, email, password }).toString(),
  });
  const session = response.headers.getSetCookie().find((c) => /next-auth\.session-token=/.test(c));
  expect(session, `signing in as ${email} sets a session cookie`).toBeDefined();
  return session!.split(";")[0]!;
}

/** Signs out as the Sign out button does; returns the cookies the answer sets (the session cookie, emptied). */
export async function signOutOverHttp(baseUrl: string, sessionCookie: string): Promise<string[]> {
  const { csrfToken, cookie } = await csrf(baseUrl, {});
  const response = await fetch(`${baseUrl}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: `${cookie}; ${sessionCookie}` },
    body: new URLSearchParams({ csrfToken, callbackUrl: "/sign-in" }).toString(),
  });
  expect(response.status).toBeLessThan(400);
  return response.headers.getSetCookie();
}
