import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { createTestDatabase } from "../tests/test-database";
import { signUpInBrowser } from "./support/accounts";
import { startApp } from "./support/app-process";
import { startServerEverything, type RunningUpstream } from "./support/server-everything";

// Grants in the console: create one for a real server (server-everything), see its key once, copy the gateway URL
// and client settings, prove the key works on the gateway, revoke it and prove it stops working.

let upstream: RunningUpstream;

test.beforeAll(async () => {
  upstream = await startServerEverything();
});

test.afterAll(async () => {
  await upstream?.stop();
});

const KEY_PATTERN = /^pcg_[A-Za-z0-9_-]{43}$/;

async function registerServer(page: Page, name: string, url: string): Promise<string> {
  await page.goto("/servers/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("URL").fill(url);
  await page.getByRole("button", { name: "Register server" }).click();
  await expect(page).toHaveURL(/\/servers\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  return page.url().split("/").pop()!;
}

/** An MCP initialize through the gateway, as any client would send it first. */
async function initialize(request: APIRequestContext, url: string, key: string): Promise<number> {
  const response = await request.post(url, {
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
    data: { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "e2e", version: "1" } } },
  });
  return response.status();
}

const snippet = (page: Page) => page.getByTestId("connect-snippet");

test("create a grant from a server's Connect section, use its key on the gateway, and revoke it", async ({ page, request, baseURL }) => {
  test.setTimeout(120_000);
  await signUpInBrowser(page);

  // Without servers, the Grants page says what a grant is and where to start.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Grants" }).click();
  await expect(page.getByRole("heading", { name: "Grants", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No grants yet" })).toBeVisible();
  await expect(page.getByText("Your workspace has no servers yet")).toBeVisible();
  await expect(page.getByRole("link", { name: "Register a server" })).toHaveAttribute("href", "/servers/new");

  const serverId = await registerServer(page, "everything", upstream.url);
  const gatewayUrl = `${baseURL}/gateway/${serverId}/mcp`;

  // The Connect section: the gateway URL on this console's origin, and settings with a placeholder for the key.
  const connect = page.getByRole("group", { name: "Connect an agent" });
  await expect(connect.getByTestId("gateway-url")).toHaveText(gatewayUrl);
  await expect(connect.getByRole("button", { name: "Copy URL" })).toBeVisible();
  await expect(connect.getByText("No grant reaches this server yet")).toBeVisible();
  await expect(connect.getByText("This server has no policy yet")).toBeVisible();
  await expect(snippet(page)).toHaveText(`claude mcp add --transport http everything ${gatewayUrl} --header "Authorization: Bearer <your grant key>"`);

  // Create a grant here: the API's field error first, then the key, once.
  await connect.getByRole("button", { name: "Create a grant for this server" }).click();
  await expect(connect.getByLabel("Grant name")).toBeFocused();
  await expect(connect.getByRole("checkbox", { name: /everything/ })).toBeChecked();
  await connect.getByRole("button", { name: "Create grant" }).click();
  await expect(connect.getByText("Give the key a name, such as the agent or client that will use it.")).toBeVisible();
  await expect(connect.getByLabel("Grant name")).toBeFocused();
  await connect.getByLabel("Grant name").fill("Claude Code e2e");
  await connect.getByLabel("Grant name").press("Enter");

  const shown = connect.getByTestId("new-grant-key");
  await expect(shown).toHaveText(KEY_PATTERN);
  const key = (await shown.textContent())!;
  await expect(connect.getByText("Copy its key now: you will not see it again.")).toBeVisible();
  await expect(connect.getByRole("button", { name: "Copy key" })).toBeVisible();

  // Every client's settings now hold the real URL and key; the JSON ones parse. Arrow keys move between tabs.
  await expect(snippet(page)).toHaveText(`claude mcp add --transport http everything ${gatewayUrl} --header "Authorization: Bearer ${key}"`);
  await expect(connect.getByRole("button", { name: "Copy command" })).toBeVisible();
  await connect.getByRole("tab", { name: "Claude Code" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(connect.getByRole("tab", { name: "Cursor" })).toHaveAttribute("aria-selected", "true");
  expect(JSON.parse((await snippet(page).textContent())!)).toEqual({
    mcpServers: { everything: { url: gatewayUrl, headers: { Authorization: `Bearer ${key}` } } },
  });
  await connect.getByRole("tab", { name: "VS Code" }).click();
  expect(JSON.parse((await snippet(page).textContent())!)).toEqual({
    servers: { everything: { type: "http", url: gatewayUrl, headers: { Authorization: `Bearer ${key}` } } },
  });
  await connect.getByRole("tab", { name: "Claude Desktop" }).click();
  expect(JSON.parse((await snippet(page).textContent())!).mcpServers.everything).toEqual({
    command: "npx",
    args: ["-y", "mcp-remote", gatewayUrl, "--header", "Authorization:${AUTH_HEADER}"],
    env: { AUTH_HEADER: `Bearer ${key}` },
  });
  await connect.getByRole("tab", { name: "MCP Inspector" }).click();
  await expect(snippet(page)).toHaveText(
    `npx -y @modelcontextprotocol/inspector@2 --cli ${gatewayUrl} --transport http --method tools/list --header "Authorization: Bearer ${key}"`,
  );

  // The key works on the gateway URL the page shows.
  expect(await initialize(request, gatewayUrl, key)).toBe(200);

  // Shown once: after a reload only the placeholder and the grant's existence remain.
  await page.reload();
  await expect(connect.getByTestId("gateway-url")).toHaveText(gatewayUrl);
  await expect(page.getByTestId("new-grant-key")).toHaveCount(0);
  await expect(page.getByText(key)).toHaveCount(0);
  await expect(snippet(page)).toContainText("Bearer <your grant key>");
  await expect(connect.getByText("1 active grant (Claude Code e2e) reaches this server.")).toBeVisible();

  // The Grants page lists it with its server, key prefix and last use, never the key.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Grants" }).click();
  const row = page.getByTestId("grant-row").filter({ hasText: "Claude Code e2e" });
  await expect(row).toContainText(key.slice(0, 12));
  await expect(row).not.toContainText(key);
  await expect(row.getByRole("link", { name: "everything" })).toHaveAttribute("href", `/servers/${serverId}`);
  await expect(row).toContainText("Active");
  // The gateway records the use without holding up the call, so it may take a moment to show.
  await expect(async () => {
    await page.reload();
    await expect(row.getByRole("cell").nth(4)).toHaveText("just now", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });

  // Revoking asks first; Cancel keeps the grant.
  await row.getByRole("button", { name: "Revoke Claude Code e2e" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke Claude Code e2e?" });
  await expect(dialog).toContainText(key.slice(0, 12));
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect(await initialize(request, gatewayUrl, key)).toBe(200);

  await row.getByRole("button", { name: "Revoke Claude Code e2e" }).click();
  await dialog.getByRole("button", { name: "Revoke grant" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);

  // The page's revoke really took the key away.
  expect(await initialize(request, gatewayUrl, key)).toBe(401);
});

test("create a grant on the Grants page with the keyboard, with errors at their fields", async ({ page }) => {
  test.setTimeout(120_000);
  await signUpInBrowser(page);
  const serverId = await registerServer(page, "everything", upstream.url);

  // "Manage grants" opens the Grants page with this server already chosen.
  await page.getByRole("link", { name: "Manage grants" }).click();
  await expect(page).toHaveURL(new RegExp(`/grants\\?server=${serverId}$`));
  await expect(page.getByRole("heading", { name: "No grants yet" })).toBeVisible();
  const checkbox = page.getByRole("checkbox", { name: /everything/ });
  await expect(checkbox).toBeChecked();

  // Nothing chosen and no name: the API's messages appear at both fields.
  await page.goto("/grants");
  await expect(checkbox).not.toBeChecked();
  await page.getByRole("button", { name: "Create grant" }).click();
  await expect(page.getByText("Give the key a name, such as the agent or client that will use it.")).toBeVisible();
  await expect(page.getByText("Choose at least one server this key may reach.")).toBeVisible();
  await expect(page.getByLabel("Grant name")).toBeFocused();

  // Keyboard only: type the name, Tab to the server, Space to choose it, Enter to submit.
  await page.keyboard.type("Cursor on the build box");
  await page.keyboard.press("Tab");
  await expect(checkbox).toBeFocused();
  await page.keyboard.press("Space");
  await expect(checkbox).toBeChecked();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Create grant" })).toBeFocused();
  await page.keyboard.press("Enter");

  await expect(page.getByTestId("new-grant-key")).toHaveText(KEY_PATTERN);
  await expect(page.getByText("Copy its key now: you will not see it again.")).toBeVisible();
  await expect(page.getByText("Choose at least one server this key may reach.")).toHaveCount(0);
  const row = page.getByTestId("grant-row").filter({ hasText: "Cursor on the build box" });
  await expect(row).toContainText("Never");
  await expect(row).toContainText("Active");

  // The notice leads to the server's Connect section.
  await page.getByRole("status").getByRole("link", { name: "everything" }).click();
  await expect(page).toHaveURL(new RegExp(`/servers/${serverId}#connect$`));
  await expect(page.getByText("1 active grant (Cursor on the build box) reaches this server.")).toBeVisible();
});

test("with PORTCULLIS_PUBLIC_URL set, gateway URLs are on that origin", async ({ browser }) => {
  test.setTimeout(180_000);
  const database = await createTestDatabase("e2e-public-url");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "portcullis-public-url-"));
  const app = await startApp({
    DATABASE_URL: database.url,
    PORTCULLIS_DATA_DIR: dataDir,
    PORTCULLIS_UPSTREAM_NETWORKS: "loopback",
    PORTCULLIS_PUBLIC_URL: "https://portcullis.example.com/",
  });
  const context = await browser.newContext({ baseURL: app.baseUrl });
  try {
    const page = await context.newPage();
    await signUpInBrowser(page);
    const serverId = await registerServer(page, "everything", upstream.url);
    const gatewayUrl = `https://portcullis.example.com/gateway/${serverId}/mcp`;
    await expect(page.getByTestId("gateway-url")).toHaveText(gatewayUrl);
    await expect(page.getByTestId("connect-snippet")).toContainText(` ${gatewayUrl} `);
  } finally {
    await context.close();
    await app.stop();
    await database.drop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
});
