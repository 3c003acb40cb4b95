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

// A cookie-authenticated write is accepted only from the console's own origin: scheme, host and port as the request
// reached it (https:// when the trusted proxy says so). Anything else is a 403 cross_origin, never a 500.
test("a write with the session cookie is refused from any other origin", async () => {
  const database = await createTestDatabase("origin");
  await migrate(database.url);
  const app = await startApp({ DATABASE_URL: database.url, TRUST_PROXY_HOPS: "1" });
  try {
    const https = { "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.5" };
    const cookie = (await signInCookie(app.baseUrl, https)).split(";")[0]!;
    const host = new URL(app.baseUrl).host;
    const otherPort = `127.0.0.1:${Number(new URL(app.baseUrl).port) + 1}`;
    const createToken = (headers: Record<string, string>) =>
      fetch(`${app.baseUrl}/api/v1/tokens`, {
        method: "POST",
        headers: { ...headers, cookie, "content-type": "application/json" },
        body: JSON.stringify({ name: "origin check" }),
      });

    const refused: [string, Record<string, string>][] = [
      ["null", https],
      ["garbage", https],
      ["http://evil.example", https],
      [`http://${host}`, https], // the same host, but plain http where the console is served over https
      [`https://${otherPort}`, https],
      [`https://${host}`, {}], // and https where it is served over plain http
      [`http://${otherPort}`, {}],
    ];
    for (const [origin, headers] of refused) {
      const response = await createToken({ ...headers, origin });
      expect(response.status, `Origin ${origin}`).toBe(403);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({ status: 403, code: "cross_origin", detail: expect.stringContaining("personal access token") });
    }

    const accepted: Record<string, string>[] = [{ ...https, origin: `https://${host}` }, https, { origin: `http://${host}` }, {}];
    for (const headers of accepted) {
      expect((await createToken(headers)).status, JSON.stringify(headers)).toBe(201);
    }
    // Nothing failed inside: no 500 and no stack in the log.
    expect(app.output()).not.toMatch(/\[api\] .* failed|TypeError|Invalid URL/);
  } finally {
    await app.stop();
    await database.drop();
  }
});
