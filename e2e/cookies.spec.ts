import { expect, test } from "@playwright/test";
import { createTestDatabase } from "../tests/test-database";
import { migrate } from "../lib/db/migrate";
import { PASSWORD, uniqueEmail } from "./support/accounts";
import { startApp } from "./support/app-process";

// Behind a TLS-terminating proxy (trusted with TRUST_PROXY_HOPS), session cookies are Secure; a client cannot
// claim HTTPS (or another address) by sending forwarding headers itself.
test.describe.configure({ timeout: 120_000 });

async function signInCookie(baseUrl: string, headers: Record<string, string>): Promise<string> {
  const email = uniqueEmail("cookie");
  const signUp = await fetch(`${baseUrl}/api/v1/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(signUp.status).toBe(201);
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookies = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded", cookie: csrfCookies },
    body: new URLSearchParams({ csrfToken, email, password: PASSWORD }).toString(),
  });
  const session = response.headers.getSetCookie().find((c) => /next-auth\.session-token=/.test(c));
  expect(session, "a session cookie is set").toBeDefined();
  return session!;
}

test("session cookies are Secure when the trusted proxy says the request came over HTTPS", async () => {
  const database = await createTestDatabase("cookies");
  await migrate(database.url);
  const behindProxy = await startApp({ DATABASE_URL: database.url, TRUST_PROXY_HOPS: "1" });
  const direct = await startApp({ DATABASE_URL: database.url, TRUST_PROXY_HOPS: "0" });
  try {
    const https = { "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.5" };
    const secure = await signInCookie(behindProxy.baseUrl, https);
    expect(secure).toMatch(/^__Secure-next-auth\.session-token=/);
    expect(secure).toMatch(/; Secure/i);
    expect(secure).toMatch(/; HttpOnly/i);
    expect(secure).toMatch(/; SameSite=Lax/i);

    // Without a trusted proxy the same headers are ignored: plain HTTP, so no Secure flag.
    const plain = await signInCookie(direct.baseUrl, https);
    expect(plain).toMatch(/^next-auth\.session-token=/);
    expect(plain).not.toMatch(/; Secure/i);
  } finally {
    await behindProxy.stop();
    await direct.stop();
    await database.drop();
  }
});
