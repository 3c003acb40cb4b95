import { expect, test, type Page, type Response } from "@playwright/test";
import { createTestDatabase } from "../tests/test-database";
import { migrate } from "../lib/db/migrate";
import { signUpInBrowser } from "./support/accounts";
import { startApp } from "./support/app-process";
import { startServerEverything, type RunningUpstream } from "./support/server-everything";

// Every console page is served with a Content-Security-Policy carrying a fresh nonce, and the other security
// headers; nothing on any page (Next.js, next-themes, CodeMirror) is refused by that policy.

let upstream: RunningUpstream;

test.beforeAll(async () => {
  upstream = await startServerEverything();
});

test.afterAll(async () => {
  await upstream?.stop();
});

interface Violation {
  page: string;
  directive: string;
  blocked: string;
  sample: string;
}

/** Records every document the page loads, every CSP violation event and every console error. */
async function watch(page: Page) {
  const documents: Response[] = [];
  const violations: Violation[] = [];
  const consoleErrors: string[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "document") documents.push(response);
  });
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  await page.exposeFunction("reportCspViolation", (violation: Violation) => violations.push(violation));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { reportCspViolation: (v: unknown) => void }).reportCspViolation;
      report({ page: location.pathname, directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample });
    });
  });
  return { documents, violations, consoleErrors };
}

function expectConsoleHeaders(response: Response) {
  const headers = response.headers();
  const where = `${response.status()} ${new URL(response.url()).pathname}`;
  const csp = headers["content-security-policy"] ?? "";
  const directives = new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
  const nonce = directives.get("script-src")?.find((v) => v.startsWith("'nonce-"));
  expect(nonce, `${where}: a script nonce`).toMatch(/^'nonce-[A-Za-z0-9+/]{22}==?'$/);
  expect(directives.get("script-src"), where).toEqual(["'self'", nonce, "'strict-dynamic'"]);
  expect(directives.get("style-src"), where).toEqual(["'self'", nonce]);
  expect(directives.get("default-src"), where).toEqual(["'self'"]);
  expect(directives.get("object-src"), where).toEqual(["'none'"]);
  expect(directives.get("base-uri"), where).toEqual(["'none'"]);
  expect(directives.get("frame-ancestors"), where).toEqual(["'none'"]);
  expect(directives.get("form-action"), where).toEqual(["'self'"]);
  expect(directives.get("connect-src"), where).toEqual(["'self'"]);
  expect(csp, where).not.toMatch(/unsafe-eval|unsafe-inline|upgrade-insecure-requests/);
  expect(headers["permissions-policy"], where).toMatch(/(^|, )camera=\(\)/);
  expect(headers["permissions-policy"], where).toMatch(/(^|, )microphone=\(\)/);
  expect(headers["permissions-policy"], where).toMatch(/(^|, )geolocation=\(\)/);
  expect(headers["cross-origin-opener-policy"], where).toBe("same-origin");
  expect(headers["x-frame-options"], where).toBe("DENY");
  expect(headers["x-content-type-options"], where).toBe("nosniff");
  // Served over plain HTTP (and no trusted proxy says otherwise): no HSTS.
  expect(headers["strict-transport-security"], where).toBeUndefined();
  return nonce!;
}

test("every console page carries the security headers, and nothing on it breaks the policy", async ({ page }) => {
  test.setTimeout(180_000);
  const seen = await watch(page);

  // Signed out: sign-in and sign-up.
  for (const path of ["/sign-in", "/sign-up"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
  }
  await signUpInBrowser(page);

  const registered = await page.request.post("/api/v1/servers", { data: { name: "everything", url: upstream.url } });
  expect(registered.status(), await registered.text()).toBe(201);
  const serverId = ((await registered.json()) as { id: string }).id;
  const { tools } = (await (await page.request.get(`/api/v1/servers/${serverId}/tools`)).json()) as { tools: { id: string; name: string }[] };
  const echo = tools.find((t) => t.name === "echo")!;

  for (const path of ["/servers", "/servers/new", `/servers/${serverId}`, `/tools/${echo.id}`, "/policies", "/grants", "/activity", "/approvals", "/settings"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }
  const missing = await page.goto("/no-such-page");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
  expect(seen.violations).toEqual([]);

  // The policy editor: its JSON tab (CodeMirror adds its styles with the nonce) and the simulator.
  await page.goto(`/servers/${serverId}/policy`);
  await page.getByRole("tab", { name: /^JSON/ }).click();
  const editor = page.getByRole("textbox", { name: "Policy JSON" });
  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText('{ "version": "1", "default": "deny", "tools": { "echo": {} } }');
  await expect(editor).toContainText('"echo": {}');
  // CodeMirror's own stylesheet applied: its editor is a flex column and its gutter sits beside the text.
  expect(await page.locator(".cm-editor").evaluate((el) => getComputedStyle(el).display)).toBe("flex");
  expect(await page.locator(".cm-gutters").evaluate((el) => getComputedStyle(el).display)).toBe("flex");
  await page.getByRole("tab", { name: /^Simulator/ }).click();
  await page.getByLabel("Tool", { exact: true }).selectOption("echo");
  await page.getByLabel(/^message/).fill("hello");
  await page.getByRole("button", { name: "Simulate the call" }).click();
  await expect(page.getByTestId("simulation-result").locator('[data-decision="allow"]')).toBeVisible();

  // The theme switch (next-themes: an inline script at load, a style while switching) still works, after a reload too.
  await page.goto("/servers");
  const theme = page.getByLabel("Theme").first();
  await theme.selectOption("dark");
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await theme.selectOption("light");
  await expect(page.locator("html")).not.toHaveClass(/dark/);

  // Every document had the headers, each with its own nonce.
  const pages = seen.documents.filter((r) => r.status() < 300 || r.status() === 404);
  expect(pages.length).toBeGreaterThanOrEqual(16);
  const nonces = pages.map(expectConsoleHeaders);
  expect(new Set(nonces).size).toBe(nonces.length);
  expect(seen.violations).toEqual([]);
  expect(seen.consoleErrors.filter((text) => /content.security.policy|permissions.policy|nonce/i.test(text))).toEqual([]);

  // JSON answers have a policy of their own: nothing loads from them, nothing frames them.
  const api = await page.request.get("/api/v1/me");
  expect(api.status()).toBe(200);
  expect(api.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(api.headers()["cross-origin-opener-policy"]).toBe("same-origin");
  // A client cannot claim HTTPS itself (no trusted proxy here): still no HSTS.
  const claimed = await page.request.get("/sign-in", { headers: { "x-forwarded-proto": "https" } });
  expect(claimed.headers()["strict-transport-security"]).toBeUndefined();
});

// Behind a TLS-terminating proxy trusted with TRUST_PROXY_HOPS, pages add Strict-Transport-Security and ask
// browsers to upgrade any plain http:// subresource.
test("pages served over HTTPS through a trusted proxy add Strict-Transport-Security", async () => {
  test.setTimeout(120_000);
  const database = await createTestDatabase("headers");
  await migrate(database.url);
  const app = await startApp({ DATABASE_URL: database.url, TRUST_PROXY_HOPS: "1" });
  try {
    const https = await fetch(`${app.baseUrl}/sign-in`, { headers: { "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.5" } });
    expect(https.status).toBe(200);
    expect(https.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(https.headers.get("content-security-policy")).toMatch(/; upgrade-insecure-requests$/);
    const plain = await fetch(`${app.baseUrl}/sign-in`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get("strict-transport-security")).toBeNull();
    expect(plain.headers.get("content-security-policy")).not.toMatch(/upgrade-insecure-requests/);
  } finally {
    await app.stop();
    await database.drop();
  }
});
