import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { expect, test, type Page } from "@playwright/test";
import { signUpInBrowser } from "./support/accounts";
import { serverWithGrant } from "./support/api-client";
import { connectAgent } from "./support/mcp-agent";
import { startServerEverything, type RunningUpstream } from "./support/server-everything";

// The Activity page with real gateway traffic: the official SDK client calls the app's gateway URL with a grant key,
// the gateway enforces a saved policy in front of the reference MCP server, and the console shows each decision,
// filters them, and adds new calls as they happen.

const CANARY = "canary-value-that-must-never-be-stored";

let upstream: RunningUpstream;
const clients: Client[] = [];

test.beforeAll(async () => {
  upstream = await startServerEverything();
});

test.afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await upstream?.stop();
});

/** A server with a policy and a grant, set up through the API with the browser's session, as the console would. */
async function setUp(page: Page): Promise<{ serverId: string; key: string }> {
  const policy = {
    version: "1",
    default: "deny",
    tools: {
      echo: {},
      "get-sum": { limits: [{ counter: "sums", window: "day", max: 1, scope: "grant" }] },
      "get-env": { action: "deny", reason: "Environment variables can hold secrets." },
    },
  };
  return serverWithGrant(page.request, upstream.url, policy, "everything", "sdk agent");
}

async function connect(baseURL: string, serverId: string, key: string): Promise<Client> {
  const client = await connectAgent(baseURL, serverId, key, "activity-e2e");
  clients.push(client);
  return client;
}

/** Calls a tool; a refusal (an error result or a JSON-RPC error) is part of the test, not a failure. */
async function call(client: Client, name: string, args: Record<string, unknown>): Promise<void> {
  await client.callTool({ name, arguments: args }).catch(() => undefined);
}

const rows = (page: Page) => page.getByTestId("activity-row");
const toolRows = (page: Page, tool: string) => rows(page).filter({ has: page.getByText(tool, { exact: true }) });

test("see the gateway's decisions, filter them, open one, and watch new calls arrive live", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await signUpInBrowser(page);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Activity" }).click();
  await expect(page.getByRole("heading", { name: "No calls yet" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to your servers" })).toHaveAttribute("href", "/servers");
  await expect(page.getByTestId("live-status")).toHaveText(/Live/);
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

  const { serverId, key } = await setUp(page);
  const agent = await connect(baseURL!, serverId, key);
  await call(agent, "echo", { message: CANARY });
  await call(agent, "get-sum", { a: 1, b: 2 });
  await call(agent, "get-sum", { a: 3, b: 4 }); // over the limit of 1 a day
  await call(agent, "get-env", {}); // denied, so hidden: the agent is told the tool does not exist

  // The page that was showing the empty state fills in by itself: no reload.
  await expect(toolRows(page, "get-env")).toHaveCount(1, { timeout: 15_000 });
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  await expect(toolRows(page, "echo")).toHaveCount(1);
  await expect(toolRows(page, "get-sum")).toHaveCount(2);
  // Newest first.
  await expect(rows(page).filter({ has: page.getByText("tools/call") }).first()).toContainText("get-env");
  await expect(toolRows(page, "get-env")).toContainText("Deny");
  await expect(toolRows(page, "get-env")).toContainText("sdk agent");
  await expect(toolRows(page, "get-sum").first()).toContainText("Rate limited");
  await expect(toolRows(page, "get-sum").last()).toContainText("Allow");
  await expect(toolRows(page, "echo")).toContainText("200");

  // A row opens from the keyboard and shows what was recorded: argument names and a digest, never the value.
  const echo = toolRows(page, "echo");
  const details = echo.getByRole("button", { name: /Details of the echo call/ });
  await details.focus();
  await page.keyboard.press("Enter");
  await expect(details).toHaveAttribute("aria-expanded", "true");
  const panel = page.locator(`#${await details.getAttribute("aria-controls")}`);
  await expect(panel).toContainText("Request id");
  await expect(panel.getByRole("list", { name: "Argument names" })).toHaveText("message");
  await expect(panel).toContainText(/[0-9a-f]{64}/);
  await expect(page.locator("body")).not.toContainText(CANARY);
  await page.keyboard.press("Enter");
  await expect(details).toHaveAttribute("aria-expanded", "false");

  // Filter by decision: the URL holds the filter, so it survives a reload.
  const filters = page.getByRole("search", { name: "Filter activity" });
  await filters.getByText("Deny", { exact: true }).click();
  await expect(page).toHaveURL(/[?&]decision=deny(&|$)/);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("get-env");
  await filters.getByText("Rate limited", { exact: true }).click();
  await expect(page).toHaveURL(/[?&]decision=deny%2Crate_limited(&|$)/);
  await expect(rows(page)).toHaveCount(2);
  await page.reload();
  await expect(page.getByRole("checkbox", { name: "Deny" })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Rate limited" })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Allow" })).not.toBeChecked();
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).evaluateAll((list) => list.map((r) => r.getAttribute("data-decision")).sort())).resolves.toEqual(["deny", "rate_limited"]);

  // While paused, new calls wait; on resume they appear, at the top, still filtered.
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  await page.getByRole("button", { name: "Pause live updates" }).click();
  await expect(page.getByTestId("live-status")).toHaveText(/Paused/);
  await call(agent, "get-sum", { a: 5, b: 6 });
  await page.waitForTimeout(3_000);
  await expect(rows(page)).toHaveCount(2);
  await page.getByRole("button", { name: "Resume live updates" }).click();
  await expect(page.getByTestId("live-status")).toHaveText(/Live/);
  await expect(rows(page)).toHaveCount(3);
  await expect(rows(page).first()).toContainText("get-sum");
  await expect(rows(page).first()).toContainText("Rate limited");

  // An allowed call does not match this filter; clearing the filter shows it with the rest.
  await call(agent, "echo", { message: "hello again" });
  await filters.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/activity$/);
  await expect(toolRows(page, "echo")).toHaveCount(2);

  // Tool calls only: the protocol's own requests (initialize, notifications, tools/list) drop out.
  await expect(rows(page).filter({ hasText: "initialize" }).first()).toBeVisible();
  await filters.getByRole("checkbox", { name: /Tool calls only/ }).check();
  await expect(page).toHaveURL(/[?&]method=tools%2Fcall(&|$)/);
  await expect(rows(page)).toHaveCount(6);
  await expect(rows(page).filter({ hasText: "initialize" })).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
});

test("filters by server and tool from a shared link, and refuses nothing for ids it does not know", async ({ page, baseURL }) => {
  await signUpInBrowser(page);
  const { serverId, key } = await setUp(page);
  const agent = await connect(baseURL!, serverId, key);
  await call(agent, "echo", { message: "one" });
  await call(agent, "get-env", {});

  await page.goto(`/activity?server=${serverId}&tool=ech*`);
  await expect(page.getByLabel("Server", { exact: true })).toHaveValue(serverId);
  await expect(page.getByLabel("Tool", { exact: true })).toHaveValue("ech*");
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("echo");

  // A server deleted since (or never known) still filters: to nothing, and says so.
  await page.goto("/activity?server=00000000-0000-4000-8000-000000000000");
  await expect(page.getByText("No calls match these filters")).toBeVisible();
  await expect(page.getByLabel("Server", { exact: true })).toHaveValue("00000000-0000-4000-8000-000000000000");
});

test("loads older calls 50 at a time", async ({ page, baseURL }) => {
  await signUpInBrowser(page);
  const { serverId, key } = await setUp(page);
  const agent = await connect(baseURL!, serverId, key);
  for (let i = 0; i < 55; i++) await call(agent, "get-env", { i });

  await page.goto("/activity?decision=deny");
  await expect(rows(page)).toHaveCount(50);
  await expect(page.getByText("50 calls shown.")).toBeVisible();
  await page.getByRole("button", { name: "Load older calls" }).click();
  await expect(rows(page)).toHaveCount(55);
  await expect(page.getByText("55 calls shown: every call that matches.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Load older calls" })).toHaveCount(0);
  const ids = await rows(page).evaluateAll((list) => list.map((r) => r.querySelector("button")?.getAttribute("aria-controls")));
  expect(new Set(ids).size).toBe(55);
});
