import { expect, test, type Page } from "@playwright/test";
import { signUpInBrowser } from "./support/accounts";
import { startServerEverything, type RunningUpstream } from "./support/server-everything";

// Registering a real MCP server (the reference server-everything, over Streamable HTTP) through the console, and
// the ways registering can fail. The app under test allows loopback upstreams (PORTCULLIS_UPSTREAM_NETWORKS).

let upstream: RunningUpstream;

test.beforeAll(async () => {
  upstream = await startServerEverything();
});

test.afterAll(async () => {
  await upstream?.stop();
});

const toolRows = (page: Page) => page.getByTestId("tool-row");
const toolRow = (page: Page, name: string) => toolRows(page).filter({ has: page.getByRole("link", { name, exact: true }) });

async function toolNames(page: Page): Promise<string[]> {
  return toolRows(page).getByRole("link").allTextContents();
}

async function registerServer(page: Page, name: string, url: string) {
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("URL").fill(url);
  await page.getByRole("button", { name: "Register server" }).click();
}

test("register a real MCP server and see its tools with their risk", async ({ page }) => {
  test.setTimeout(120_000);
  const email = await signUpInBrowser(page);
  await expect(page.getByRole("heading", { name: "No MCP servers yet" })).toBeVisible();
  await page.getByRole("link", { name: "Register your first server" }).click();
  await expect(page).toHaveURL(/\/servers\/new$/);

  await expect(page.getByLabel("Transport")).toHaveValue("auto");
  await registerServer(page, "everything", upstream.url);

  // Registering connects and lists the tools, then opens the server's page.
  await expect(page).toHaveURL(/\/servers\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  const serverUrl = page.url();
  await expect(page.getByRole("heading", { name: "everything", level: 1 })).toBeVisible();
  await expect(page.getByText(upstream.url, { exact: true })).toBeVisible();
  await expect(page.getByText("Streamable HTTP (detected)")).toBeVisible();
  await expect(page.getByText("Synced", { exact: true })).toBeVisible();
  await expect(page).toHaveTitle("everything · Portcullis");

  // Every tool has a risk badge; harmless ones are Low, and the server has riskier ones too.
  const countText = await page.getByText(/^\d+ tools?, each with a risk level/).textContent();
  const total = Number(countText?.match(/^\d+/)?.[0]);
  expect(total).toBeGreaterThan(5);
  await expect(toolRows(page)).toHaveCount(total);
  await expect(toolRows(page).locator("[data-level]")).toHaveCount(total);
  for (const name of ["echo", "get-sum"]) {
    const row = toolRow(page, name);
    await expect(row.locator("[data-level]")).toHaveText("Low");
    await expect(row.getByRole("cell").nth(2)).toHaveText("Read");
    await expect(row.getByText("Read-only")).toBeVisible();
  }
  const riskyCount = await toolRows(page).locator('[data-level="medium"], [data-level="high"], [data-level="critical"]').count();
  expect(riskyCount).toBeGreaterThan(0);
  // Highest risk first by default: the first row is one of the risky ones.
  await expect(toolRows(page).first().locator("[data-level]")).not.toHaveText("Low");

  // Search goes through the API and into the URL, so it survives a reload.
  await page.getByLabel("Search").fill("get-sum");
  await expect(toolRows(page)).toHaveCount(1);
  await expect(page).toHaveURL(/[?&]q=get-sum/);
  await page.reload();
  await expect(page.getByLabel("Search")).toHaveValue("get-sum");
  await expect(toolRows(page)).toHaveCount(1);
  await expect(toolRow(page, "get-sum")).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(toolRows(page)).toHaveCount(total);

  // The level filter shows Low tools only, and not all of them are.
  await page.getByLabel("Risk level").selectOption("low");
  await expect(page).toHaveURL(/[?&]level=low/);
  const lowCount = total - riskyCount;
  await expect(toolRows(page)).toHaveCount(lowCount);
  await expect(toolRows(page).locator('[data-level]:not([data-level="low"])')).toHaveCount(0);
  await expect(toolRow(page, "echo")).toBeVisible();

  // The category filter combines with it.
  await page.getByLabel("Category").selectOption("execute");
  await expect(page).toHaveURL(/category=execute/);
  await expect(toolRow(page, "echo")).toHaveCount(0);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(toolRows(page)).toHaveCount(total);

  // Sorting by name, then reversing it.
  await page.getByRole("button", { name: /^Tool/ }).click();
  await expect(page).toHaveURL(/[?&]sort=name/);
  // Until the sorted page arrives the table still shows the previous rows: wait for every row, in name order.
  const byName = (names: string[]) => [...names].sort((a, b) => a.localeCompare(b));
  await expect
    .poll(async () => {
      const names = await toolNames(page);
      return names.length === total && names.join("\n") === byName(names).join("\n");
    })
    .toBe(true);
  const ascending = await toolNames(page);
  expect(ascending.indexOf("echo")).toBeLessThan(ascending.indexOf("trigger-sampling-request"));
  await page.getByRole("button", { name: /^Tool/ }).click();
  await expect(page).toHaveURL(/[?&]sort=-name/);
  await expect.poll(() => toolNames(page)).toEqual([...ascending].reverse());

  // A re-sync of an unchanged server finds nothing new.
  await page.getByRole("button", { name: "Re-sync now" }).click();
  await expect(page.getByText("Re-sync finished")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/^No changes: the server lists the same \d+ tools as before\.$/)).toBeVisible();

  // The tool page: what it does, its arguments, why it needs a policy, the recommended rule.
  await toolRow(page, "echo").getByRole("link", { name: "echo", exact: true }).click();
  await expect(page).toHaveURL(/\/tools\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "echo", level: 1 })).toBeVisible();
  await expect(page.getByText("Echo Tool", { exact: true })).toBeVisible();
  await expect(page.getByText("Echoes back the input string")).toBeVisible();
  const argumentRow = page.getByRole("table", { name: "Arguments" }).getByRole("row").filter({ hasText: "message" });
  await expect(argumentRow).toContainText("string");
  await expect(argumentRow).toContainText("Yes");
  await expect(argumentRow).toContainText("Message to echo");
  await expect(page.getByRole("heading", { name: "Why it needs a policy" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Reasons" }).getByRole("listitem")).toHaveText(["The name starts with echo: it only reads", "The server declares readOnlyHint"]);
  const policy = JSON.parse((await page.getByTestId("recommended-policy").textContent()) ?? "null");
  // A low-risk read: a rule of its own that restricts nothing, and every other tool denied.
  expect(policy).toEqual({ version: "1", default: "deny", tools: { echo: {} } });
  await expect(page.getByText("Agents may call it freely")).toBeVisible();

  // An override is shown as such, and used by the tools table; clearing it restores the classifier's level.
  await page.getByLabel("Level").selectOption("high");
  await page.getByRole("button", { name: "Save override" }).click();
  await expect(page.getByText("Say why you are overriding the classification.")).toBeVisible();
  await page.getByLabel("Note").fill("Echoes secrets into transcripts in our setup.");
  await page.getByRole("button", { name: "Save override" }).click();
  await expect(page.getByText(`Overridden by ${email}`)).toBeVisible();
  await expect(page.getByText("Echoes secrets into transcripts in our setup.", { exact: false }).first()).toBeVisible();
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "everything" }).click();
  await expect(page).toHaveURL(serverUrl);
  await expect(toolRow(page, "echo").locator("[data-level]")).toHaveText("High");
  await expect(toolRow(page, "echo")).toContainText("(overridden)");
  await toolRow(page, "echo").getByRole("link", { name: "echo", exact: true }).click();
  await page.getByRole("button", { name: "Clear override" }).click();
  await expect(page.getByText("Override cleared")).toBeVisible();
  await expect(page.getByText(`Overridden by ${email}`)).toHaveCount(0);

  // The list shows the server with its status and tool counts by risk.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Servers" }).click();
  const serverRow = page.getByTestId("server-row").filter({ hasText: "everything" });
  await expect(serverRow).toContainText("Synced");
  await expect(serverRow).toContainText(upstream.url);
  await expect(serverRow.locator('[data-level="low"]')).toHaveText(new RegExp(`^${lowCount} Low$`));

  // Removing asks first, then forgets the server.
  await serverRow.getByRole("link", { name: "everything" }).click();
  await page.getByRole("button", { name: "Remove server" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove everything?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole("button", { name: "Remove server" }).click();
  await dialog.getByRole("button", { name: "Remove server" }).click();
  await expect(page).toHaveURL(/\/servers$/);
  await expect(page.getByRole("heading", { name: "No MCP servers yet" })).toBeVisible();
});

test("an invalid URL and an endpoint that is not MCP are refused, and nothing is saved", async ({ page, baseURL }) => {
  await signUpInBrowser(page);
  await page.goto("/servers/new");

  // Nothing typed: the form says what is missing without calling the server.
  await page.getByRole("button", { name: "Register server" }).click();
  await expect(page.getByText("Give the server a name, such as github or payments.")).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toBeFocused();

  await registerServer(page, "broken", "not a url");
  await expect(page.getByText("Enter an http:// or https:// URL, such as https://mcp.example.com/mcp.")).toBeVisible();
  await expect(page.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/servers\/new$/);

  // The app's own health endpoint answers HTTP, but not MCP.
  const app = new URL(baseURL!);
  const notMcp = `http://127.0.0.1:${app.port}/api/health`;
  await page.getByLabel("URL").fill(notMcp);
  await page.getByRole("button", { name: "Register server" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "Portcullis could not list this server's tools. Nothing was saved." });
  await expect(alert).toBeVisible({ timeout: 30_000 });
  await expect(alert).toContainText(notMcp);
  await expect(page.getByLabel("URL")).not.toHaveAttribute("aria-invalid", "true");
  // The form is usable again, with what was typed.
  await expect(page.getByRole("button", { name: "Register server" })).toBeEnabled();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("broken");
  await expect(page).toHaveURL(/\/servers\/new$/);

  const listed = await page.request.get("/api/v1/servers");
  expect(listed.status()).toBe(200);
  expect(await listed.json()).toEqual({ servers: [] });
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Servers" }).click();
  await expect(page.getByRole("heading", { name: "No MCP servers yet" })).toBeVisible();
  await expect(page.getByTestId("server-row")).toHaveCount(0);
});
