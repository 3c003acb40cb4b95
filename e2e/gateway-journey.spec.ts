import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, test, type Page } from "@playwright/test";
import { signUpInBrowser } from "./support/accounts";
import { startServerEverything, type RunningUpstream } from "./support/server-everything";

// The whole journey of a new user, through the console wherever it offers a way: sign up, register a real MCP server
// (the reference server-everything), write its policy as JSON, create a grant and read the gateway URL from the
// server's Connect section, point the official SDK client at that URL, and watch the calls arrive on the Activity page.

const POLICY = `{"version":"1","default":"deny","tools":{"echo":{},"get-env":{"action":"deny","reason":"Environment variables can hold secrets."}}}`;
const KEY_PATTERN = /^pcg_[A-Za-z0-9_-]{43}$/;

let upstream: RunningUpstream;
let agent: Client | undefined;

test.beforeAll(async () => {
  upstream = await startServerEverything();
});

test.afterAll(async () => {
  await agent?.close().catch(() => {});
  await upstream?.stop();
});

const rows = (page: Page) => page.getByTestId("activity-row");
const toolRows = (page: Page, tool: string) => rows(page).filter({ has: page.getByText(tool, { exact: true }) });

test("a new user signs up, registers a server, writes its policy, creates a grant, calls it with the SDK and sees the calls", async ({ page }) => {
  // 1. Sign up.
  await signUpInBrowser(page);

  // 2. Register server-everything through the form; it lists the tools and opens the server's page.
  await page.getByRole("link", { name: "Register your first server" }).click();
  await expect(page.getByRole("heading", { name: "Register a server", level: 1 })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("everything");
  await page.getByLabel("URL").fill(upstream.url);
  await page.getByRole("button", { name: "Register server" }).click();
  await expect(page).toHaveURL(/\/servers\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  const serverId = page.url().split("/").pop()!;
  await expect(page.getByRole("heading", { name: "everything", level: 1 })).toBeVisible();
  await expect(page.getByText("Synced", { exact: true })).toBeVisible();
  const connect = page.getByRole("group", { name: "Connect an agent" });
  await expect(connect.getByText("This server has no policy yet")).toBeVisible();

  // 3. Write the policy in the editor's JSON view and save it as version 1.
  await page.getByRole("link", { name: "Edit policy" }).click();
  await expect(page).toHaveURL(new RegExp(`/servers/${serverId}/policy$`));
  await expect(page.getByRole("heading", { name: "Policy for everything", level: 1 })).toBeVisible();
  await page.getByRole("tab", { name: /^JSON/ }).click();
  const editor = page.getByRole("textbox", { name: "Policy JSON" });
  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(POLICY);
  expect(JSON.parse(await editor.innerText())).toEqual(JSON.parse(POLICY));
  await expect(page.getByText("No problems: the policy is valid.")).toBeVisible();
  await expect(page.getByTestId("save-state")).toHaveText("Unsaved changes");
  await page.getByPlaceholder(/What does this version change/).fill("Allow echo, deny get-env");
  await page.getByRole("button", { name: "Save version 1" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved version 1" })).toBeVisible();
  await expect(page.getByTestId("save-state")).toHaveText("No unsaved changes");
  await expect(page.getByTestId("active-policy")).toContainText("version 1");

  // 4. Back on the server's page, create a grant in the Connect section; read its key (shown once) and the gateway URL.
  await page.getByRole("link", { name: "Server and tools" }).click();
  await expect(page).toHaveURL(new RegExp(`/servers/${serverId}$`));
  await expect(connect.getByText("This server has no policy yet")).toHaveCount(0);
  await connect.getByRole("button", { name: "Create a grant for this server" }).click();
  await expect(connect.getByRole("checkbox", { name: /everything/ })).toBeChecked();
  await connect.getByLabel("Grant name").fill("journey agent");
  await connect.getByRole("button", { name: "Create grant" }).click();
  const shownKey = connect.getByTestId("new-grant-key");
  await expect(shownKey).toHaveText(KEY_PATTERN);
  const key = (await shownKey.textContent())!;
  const shownUrl = connect.getByTestId("gateway-url");
  await expect(shownUrl).toHaveText(new RegExp(`^https?://[^/]+/gateway/${serverId}/mcp$`));
  await expect(connect.getByRole("button", { name: "Copy URL" })).toBeVisible();
  const gatewayUrl = (await shownUrl.textContent())!;

  // 5. The official SDK client, from this process, on the URL and key the page showed.
  agent = new Client({ name: "gateway-journey-e2e", version: "1.0.0" });
  await agent.connect(new StreamableHTTPClientTransport(new URL(gatewayUrl), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  // Only echo is visible: get-env is denied (and so hidden), and everything else falls to the default deny.
  const { tools } = await agent.listTools();
  expect(tools.map((t) => t.name)).toEqual(["echo"]);
  const echoed = await agent.callTool({ name: "echo", arguments: { message: "hello through the gateway" } });
  expect(echoed.isError).toBeFalsy();
  expect(echoed.content).toEqual([{ type: "text", text: "Echo: hello through the gateway" }]);
  // A hidden tool is, to the agent, a tool that does not exist: a JSON-RPC invalid-params error.
  await expect(agent.callTool({ name: "get-env", arguments: {} })).rejects.toMatchObject({ code: -32602 });

  // 6. The Activity page shows both decisions, and a new call arrives while it stays open.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Activity" }).click();
  await expect(page).toHaveURL(/\/activity$/);
  await expect(page.getByTestId("live-status")).toHaveText(/Live/);
  await expect(toolRows(page, "echo")).toHaveCount(1, { timeout: 15_000 });
  await expect(toolRows(page, "get-env")).toHaveCount(1, { timeout: 15_000 });
  await expect(toolRows(page, "echo")).toHaveAttribute("data-decision", "allow");
  await expect(toolRows(page, "echo")).toContainText("Allow");
  await expect(toolRows(page, "echo")).toContainText("journey agent");
  await expect(toolRows(page, "get-env")).toHaveAttribute("data-decision", "deny");
  await expect(toolRows(page, "get-env")).toContainText("Deny");
  // The rule that decided, and why the agent was told the tool does not exist.
  await expect(toolRows(page, "get-env")).toContainText("Rule: get-env");
  await expect(toolRows(page, "get-env")).toContainText("Hidden by the policy (rule get-env)");

  // The page is not reloaded: a marker on its window survives until the new row shows.
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  const again = await agent.callTool({ name: "echo", arguments: { message: "one more" } });
  expect(again.content).toEqual([{ type: "text", text: "Echo: one more" }]);
  await expect(toolRows(page, "echo")).toHaveCount(2);
  await expect(rows(page).filter({ has: page.getByText("tools/call") }).first()).toContainText("echo");
  await expect(rows(page).filter({ has: page.getByText("tools/call") }).first()).toHaveAttribute("data-decision", "allow");
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

  await agent.close();
  agent = undefined;
});
