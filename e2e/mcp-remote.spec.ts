import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { expect, test } from "@playwright/test";
import { PASSWORD } from "./support/accounts";
import { newApiAccount, serverWithGrant } from "./support/api-client";
import { freePort } from "./support/app-process";
import { startServerEverything, type RunningUpstream } from "./support/server-everything";

// mcp-remote, the bridge Claude Desktop runs for remote MCP servers, given the gateway URL and nothing else: it gets
// the gateway's 401, discovers Portcullis's sign-in, registers itself, and asks the person to open the authorization
// URL (it prints it; with no desktop here it cannot open a browser, so the test opens that URL in Chromium, as a
// person would paste it). After consent the browser lands on mcp-remote's own callback port, mcp-remote exchanges the
// code, and the MCP client on its stdio side lists and calls tools through the gateway under the server's policy.

let upstream: RunningUpstream;

test.beforeAll(async () => {
  upstream = await startServerEverything();
});

test.afterAll(async () => {
  await upstream?.stop();
});

test("mcp-remote signs in with OAuth from the gateway URL alone and calls a tool through the gateway", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const { email, api } = await newApiAccount(baseURL!, "mcp-remote");
  const { serverId } = await serverWithGrant(api, upstream.url, { version: "1", default: "deny", tools: { echo: {} } }, "everything", "laptop agent");
  const gatewayUrl = new URL(`/gateway/${serverId}/mcp`, baseURL).href;
  const configDir = mkdtempSync(path.join(os.tmpdir(), "mcp-remote-"));
  const callbackPort = await freePort();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.resolve("node_modules/mcp-remote/dist/proxy.js"), gatewayUrl, String(callbackPort)],
    // Its tokens and client registration go to a folder of this test's; no browser can be opened here.
    env: { PATH: process.env.PATH ?? "", HOME: configDir, MCP_REMOTE_CONFIG_DIR: configDir, BROWSER: "none" },
    stderr: "pipe",
  });
  let log = "";
  transport.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString("utf8")));
  const client = new Client({ name: "e2e-mcp-remote", version: "1.0.0" });
  try {
    const connected = client.connect(transport);

    // The authorization URL it prints, on this app, for this gateway URL.
    await expect.poll(() => /Please authorize this client by visiting:\s*(\S+)/.exec(log)?.[1] ?? null, { timeout: 60_000 }).not.toBeNull();
    const authorizationUrl = new URL(/Please authorize this client by visiting:\s*(\S+)/.exec(log)![1]!);
    expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(new URL("/authorize", baseURL).href);
    expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorizationUrl.searchParams.get("resource")).toBe(gatewayUrl);
    expect(authorizationUrl.searchParams.get("redirect_uri")).toMatch(new RegExp(`^http://(localhost|127\\.0\\.0\\.1):${callbackPort}/`));

    // The person opens it, signs in and allows a new grant.
    await page.goto(authorizationUrl.href);
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fauthorize/);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: /^Allow .+ to use everything\?$/, level: 1 })).toBeVisible();
    await expect(page.getByText("Registered itself")).toBeVisible();
    await page.getByRole("button", { name: "Allow access" }).click();

    // mcp-remote takes the code on its callback port, gets its tokens, and the stdio side is connected.
    await connected;
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["echo"]);
    const result = await client.callTool({ name: "echo", arguments: { message: "through mcp-remote" } });
    expect(JSON.stringify(result.content)).toContain("through mcp-remote");
    // A tool the policy hides is refused through the bridge too.
    await expect(client.callTool({ name: "get-env", arguments: {} })).rejects.toMatchObject({ code: -32602 });

    // The OAuth grant it got is on the Grants page, with its client.
    const grants = (await (await api.get("/api/v1/grants")).json()) as { grants: { name: string; oauthClientId: string | null }[] };
    expect(grants.grants.filter((g) => g.oauthClientId !== null)).toHaveLength(1);
  } finally {
    await client.close().catch(() => {});
    rmSync(configDir, { recursive: true, force: true });
  }
});
