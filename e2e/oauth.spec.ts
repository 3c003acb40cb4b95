import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { UnauthorizedError, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthClientInformationMixed, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { expect, test, type Page } from "@playwright/test";
import { PASSWORD } from "./support/accounts";
import { newApiAccount, serverWithGrant } from "./support/api-client";
import { startServerEverything, type RunningUpstream } from "./support/server-everything";

// An OAuth-capable MCP client pointed at nothing but a gateway URL, as Claude's or ChatGPT's connector screen is: the
// official SDK client (its OAuth support, with a client provider written here and dynamic client registration) gets
// the gateway's 401, discovers Portcullis's sign-in, registers, and sends the person to /authorize; Chromium signs in
// and consents (a new grant); the client's redirect URI, a small server on this machine as a desktop client runs,
// receives the code; the client exchanges it and calls a tool of the reference server-everything through the
// gateway, under the server's policy. The grant then shows on the Grants page, and revoking it there stops the token.

let upstream: RunningUpstream;

test.beforeAll(async () => {
  upstream = await startServerEverything();
});

test.afterAll(async () => {
  await upstream?.stop();
});

/**
 * The client's redirect URI: a page on 127.0.0.1 that hands each query it receives to the test. It also serves
 * `documents` as JSON at their paths (a client id metadata document).
 */
async function startCallback(
  documents: Record<string, (origin: string) => unknown> = {},
): Promise<{ url: string; origin: string; next: () => Promise<URLSearchParams>; close: () => Promise<void> }> {
  const waiting: ((params: URLSearchParams) => void)[] = [];
  const received: URLSearchParams[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const document = documents[url.pathname];
    if (document) return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(document(url.origin)));
    const params = url.searchParams;
    const resolve = waiting.shift();
    if (resolve) resolve(params);
    else received.push(params);
    res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>Signed in</title><p>Back in the client. You can close this window.</p>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/callback`,
    origin,
    next: () => {
      const ready = received.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The SDK's OAuth client provider, in memory, as a desktop client keeps it on disk. */
function clientProvider(redirectUrl: string) {
  let information: OAuthClientInformationMixed | undefined;
  let tokens: OAuthTokens | undefined;
  let verifier = "";
  const authorizationUrls: URL[] = [];
  const provider: OAuthClientProvider = {
    redirectUrl,
    clientMetadata: { client_name: "E2E MCP Client", redirect_uris: [redirectUrl], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" },
    state: () => "e2e-state",
    clientInformation: () => information,
    saveClientInformation: (value) => void (information = value),
    tokens: () => tokens,
    saveTokens: (value) => void (tokens = value),
    redirectToAuthorization: (url) => void authorizationUrls.push(url),
    saveCodeVerifier: (value) => void (verifier = value),
    codeVerifier: () => verifier,
  };
  return { provider, authorizationUrls, tokens: () => tokens, clientId: () => information?.client_id };
}

async function signIn(page: Page, email: string) {
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fauthorize/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("an MCP client signs in with OAuth from the gateway URL alone, gets consent in Chromium, calls a tool, and is stopped by revoking its grant", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const { email, api } = await newApiAccount(baseURL!, "oauth");
  const { serverId } = await serverWithGrant(api, upstream.url, { version: "1", default: "deny", tools: { echo: {} } }, "everything", "laptop agent");
  const gatewayUrl = new URL(`/gateway/${serverId}/mcp`, baseURL);
  const callback = await startCallback();
  const oauth = clientProvider(callback.url);
  try {
    // 1. The URL alone: a 401, from which the client discovers Portcullis's sign-in and registers itself.
    const first = new StreamableHTTPClientTransport(gatewayUrl, { authProvider: oauth.provider });
    await expect(new Client({ name: "e2e-oauth", version: "1.0.0" }).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(oauth.authorizationUrls).toHaveLength(1);
    const authorizationUrl = oauth.authorizationUrls[0]!;
    expect(authorizationUrl.href.startsWith(new URL("/authorize?", baseURL).href)).toBe(true);
    expect(Object.fromEntries(authorizationUrl.searchParams)).toMatchObject({
      code_challenge_method: "S256",
      resource: gatewayUrl.href,
      redirect_uri: callback.url,
      state: "e2e-state",
      client_id: oauth.clientId(),
    });

    // 2. The person: sent to sign in first, then back to the consent page.
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(authorizationUrl.href);
    await signIn(page, email);
    await expect(page.getByRole("heading", { name: "Allow E2E MCP Client to use everything?", level: 1 })).toBeVisible();
    await expect(page.getByTestId("client-name")).toHaveText("E2E MCP Client");
    await expect(page.getByText("Registered itself")).toBeVisible();
    await expect(page.getByTestId("redirect-domain")).toHaveText("Sends you back to 127.0.0.1 (an app on this computer)");
    await expect(page.getByTestId("consent-resource")).toHaveText(gatewayUrl.href);
    await expect(page.getByText("Its policy (version 1) decides every call")).toBeVisible();
    await expect(page.getByRole("radio", { name: /A new grant, “E2E MCP Client”/ })).toBeChecked();
    await expect(page.getByRole("radio", { name: /Existing grant “laptop agent”/ })).not.toBeChecked();
    mkdirSync("/tmp/shots", { recursive: true });
    await page.screenshot({ path: "/tmp/shots/consent.png", fullPage: true });

    // 3. Allow: the browser lands on the client's redirect URI with the code and the client's state.
    await page.getByRole("button", { name: "Allow access" }).click();
    const landed = await callback.next();
    await expect(page.getByText("Back in the client")).toBeVisible();
    expect(landed.get("state")).toBe("e2e-state");
    expect(landed.get("iss")).toBe(new URL(baseURL!).origin);
    const code = landed.get("code");
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // 4. The client exchanges the code for tokens.
    await first.finishAuth(code!);
    expect(oauth.tokens()).toMatchObject({ access_token: expect.stringMatching(/^pco_at_/), refresh_token: expect.stringMatching(/^pco_rt_/), token_type: "Bearer", expires_in: 3600 });

    // 5. Calls through the gateway with the token, under the server's policy.
    const client = new Client({ name: "e2e-oauth", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(gatewayUrl, { authProvider: oauth.provider }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(["echo"]);
      const result = await client.callTool({ name: "echo", arguments: { message: "signed in with OAuth" } });
      expect(JSON.stringify(result.content)).toContain("signed in with OAuth");
    } finally {
      await client.close();
    }

    // 6. The Grants page shows the client's grant; revoking it stops the token on its next request.
    await page.goto("/grants");
    const row = page.getByTestId("grant-row").filter({ hasText: "E2E MCP Client" });
    await expect(row.getByTestId("grant-oauth-client")).toContainText("E2E MCP Client");
    await expect(row.getByTestId("grant-oauth-client")).toContainText("127.0.0.1 (unverified)");
    await expect(row.getByText("OAuth", { exact: true }).first()).toBeVisible();
    await row.getByRole("button", { name: "Revoke E2E MCP Client" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke E2E MCP Client?" });
    await expect(dialog).toContainText("The OAuth tokens of E2E MCP Client stop working");
    await dialog.getByRole("button", { name: "Revoke grant" }).click();
    await expect(row).toContainText("Revoked");
    await page.screenshot({ path: "/tmp/shots/grants-oauth.png", fullPage: true });
    const refused = await fetch(gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${oauth.tokens()!.access_token}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');

    // The server's Connect section tells people this is possible.
    await page.goto(`/servers/${serverId}`);
    await expect(page.getByRole("heading", { name: "Connect with OAuth" })).toBeVisible();
    await page.getByRole("heading", { name: "Connect with OAuth" }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: "/tmp/shots/connect-oauth.png" });
  } finally {
    await callback.close();
    await api.dispose();
  }
});

test("the authorization endpoint shows a bad client or redirect URI on its page, and sends other errors back to the client", async ({ page, request, baseURL }) => {
  const callback = await startCallback();
  try {
    const registered = await request.post("/register", { data: { client_name: "Errors client", redirect_uris: [callback.url] } });
    expect(registered.status()).toBe(201);
    const clientId = ((await registered.json()) as { client_id: string }).client_id;
    const resource = new URL(`/gateway/${randomUUID()}/mcp`, baseURL).href;
    const authorize = (params: Record<string, string>) =>
      `/authorize?${new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: callback.url, code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256", resource, state: "s1", ...params })}`;

    for (const [params, expected] of [
      [{ client_id: randomUUID() }, /unknown to Portcullis/],
      [{ redirect_uri: "https://evil.example/callback" }, /is not one this client registered/],
    ] as const) {
      await page.goto(authorize(params));
      await expect(page.getByRole("heading", { name: "This sign-in cannot go on" })).toBeVisible();
      await expect(page.getByRole("alert").filter({ hasText: expected })).toBeVisible();
      expect(new URL(page.url()).pathname).toBe("/authorize");
    }

    // Without PKCE: back to the client's redirect URI, with the error and the state.
    await page.goto(authorize({ code_challenge: "", code_challenge_method: "" }));
    const back = await callback.next();
    expect(Object.fromEntries(back)).toMatchObject({ error: "invalid_request", state: "s1" });
    expect(back.get("error_description")).toMatch(/PKCE is required/);
  } finally {
    await callback.close();
  }
});

test("a client id metadata document: the consent page names the domain that published it, and flags a redirect elsewhere", async ({ page, baseURL }) => {
  // The document's URL is the client id. http is accepted here only because the test app may reach this machine
  // (PORTCULLIS_UPSTREAM_NETWORKS=loopback); production takes https only.
  const host = await startCallback({
    "/oauth/client.json": (origin) => ({
      client_id: `${origin}/oauth/client.json`,
      client_name: "Docs Client",
      redirect_uris: ["https://elsewhere.example/callback"],
      logo_uri: "https://127.0.0.1:9/logo.png",
    }),
  });
  const { email, api } = await newApiAccount(baseURL!, "oauth-doc");
  try {
    const { serverId } = await serverWithGrant(api, upstream.url, { version: "1", default: "deny", tools: { echo: {} } }, "everything");
    const query = new URLSearchParams({
      response_type: "code",
      client_id: `${host.origin}/oauth/client.json`,
      redirect_uri: "https://elsewhere.example/callback",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
      resource: new URL(`/gateway/${serverId}/mcp`, baseURL).href,
    });
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(`/authorize?${query}`);
    await signIn(page, email);
    await expect(page.getByRole("heading", { name: "Allow Docs Client to use everything?", level: 1 })).toBeVisible();
    await expect(page.getByText("Published by 127.0.0.1")).toBeVisible();
    await expect(page.getByText("Registered itself")).toHaveCount(0);
    await expect(page.getByTestId("redirect-domain")).toHaveText("Sends you back to elsewhere.example");
    await expect(page.getByTestId("redirect-mismatch")).toHaveText(/goes to elsewhere\.example, not to 127\.0\.0\.1/);
    // The logo: the client's own https image, requested without telling its host where the person is; this one does
    // not load (nothing listens there), so the client's initial takes its place.
    const logoRequest = page.waitForRequest("https://127.0.0.1:9/logo.png");
    await page.reload();
    expect((await (await logoRequest).headerValue("referer")) ?? "").toBe("");
    await expect(page.getByTestId("client-logo")).toHaveCount(0);
    mkdirSync("/tmp/shots", { recursive: true });
    await page.screenshot({ path: "/tmp/shots/consent-metadata-document.png", fullPage: true });
  } finally {
    await host.close();
    await api.dispose();
  }
});
