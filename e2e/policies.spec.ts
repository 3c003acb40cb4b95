import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, test, type Page } from "@playwright/test";
import { signUpInBrowser } from "./support/accounts";
import { startServerEverything, type RunningUpstream } from "./support/server-everything";

// Writing a server's policy in the console, as a new user would: visually and as JSON, saved as versions that can
// be compared and rolled back, and tried out in the simulator. The upstream is the real reference MCP server.

const SEED = `{ "version": "1", "default": "deny",
  "tools": { "invoke_agent_runtime": { "limits": [
    { "counter": "invoke_agent_runtime_rate", "window": "minute", "max": 10, "scope": "grant" } ] } } }`;

let upstream: RunningUpstream;

test.beforeAll(async () => {
  upstream = await startServerEverything();
});

test.afterAll(async () => {
  await upstream?.stop();
});

// Tall enough that the JSON editor renders every line of the documents below.
test.use({ viewport: { width: 1280, height: 1400 } });

/** Registers the upstream through the API with the browser's session, as the console's form would. */
async function registerServer(page: Page, name = "everything"): Promise<string> {
  const response = await page.request.post("/api/v1/servers", { data: { name, url: upstream.url } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function toolId(page: Page, serverId: string, name: string): Promise<string> {
  const { tools } = (await (await page.request.get(`/api/v1/servers/${serverId}/tools`)).json()) as { tools: { id: string; name: string }[] };
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`The server has no tool ${name}`);
  return tool.id;
}

const jsonEditor = (page: Page) => page.getByRole("textbox", { name: "Policy JSON" });
const ruleRow = (page: Page, pattern: string) => page.locator(`[data-testid="rule-row"][data-pattern="${pattern}"]`);
const tab = (page: Page, name: string) => page.getByRole("tab", { name: new RegExp(`^${name}`) });

async function replaceJson(page: Page, text: string) {
  await jsonEditor(page).click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(text);
}

async function editorDocument(page: Page): Promise<unknown> {
  return JSON.parse(await jsonEditor(page).innerText());
}

async function save(page: Page, message: string, version: number) {
  await page.getByPlaceholder(/What does this version change/).fill(message);
  await page.getByRole("button", { name: `Save version ${version}` }).or(page.getByRole("button", { name: `Save as version ${version}` })).click();
  await expect(page.getByRole("status").filter({ hasText: `Saved version ${version}` })).toBeVisible();
  await expect(page.getByTestId("save-state")).toHaveText("No unsaved changes");
}

async function simulate(page: Page) {
  await page.getByRole("button", { name: "Simulate the call" }).click();
}

test("build a policy visually, see it as JSON and save it", async ({ page }) => {
  test.setTimeout(120_000);
  await signUpInBrowser(page);
  const serverId = await registerServer(page);
  // server-everything has no destructive tool: a person says this one is, as they would for their own server.
  const toggle = await toolId(page, serverId, "toggle-simulated-logging");
  const override = await page.request.patch(`/api/v1/tools/${toggle}`, {
    data: { override: { level: "critical", category: "destructive", note: "Wipes the log settings in our setup." } },
  });
  expect(override.status()).toBe(200);

  // Registered behind the console's back, so the page is loaded afresh rather than from its cached server list.
  await page.goto("/policies");
  const row = page.getByTestId("policy-row").filter({ hasText: "everything" });
  await expect(row).toContainText("No policy saved yet.");
  await row.getByRole("link", { name: "Write a policy for everything" }).click();
  await expect(page).toHaveURL(new RegExp(`/servers/${serverId}/policy$`));
  await expect(page.getByRole("heading", { name: "Policy for everything", level: 1 })).toBeVisible();
  await expect(page.getByTestId("save-state")).toHaveText("Not saved yet");

  // The default: both choices change what tools without a rule get.
  await page.getByRole("radio", { name: /^Allow/ }).check();
  await expect(ruleRow(page, "echo")).toContainText("No rule: allowed by the default");
  await page.getByRole("radio", { name: /^Deny/ }).check();
  await expect(ruleRow(page, "echo")).toContainText("No rule: denied by the default");

  // Allow a read tool.
  await page.getByLabel("Rule for echo").selectOption("allow");
  // Allow another, with a limit of 5 calls an hour.
  await page.getByLabel("Rule for get-sum").selectOption("allow");
  await page.getByRole("button", { name: "Show the rule details for get-sum" }).click();
  const getSum = ruleRow(page, "get-sum");
  await getSum.getByRole("button", { name: "Add a limit" }).click();
  await getSum.getByLabel("Max calls of limit 1").fill("5");
  await getSum.getByLabel("Window of limit 1").selectOption("hour");
  await expect(getSum).toContainText("5 an hour per key");
  // A value that makes no sense is refused at the field and not applied.
  await getSum.getByLabel("Max calls of limit 1").fill("0");
  await expect(getSum.getByText("Enter a whole number, 1 or more. Not applied yet.")).toBeVisible();
  await getSum.getByLabel("Max calls of limit 1").fill("5");
  // Require approval on the destructive tool, by applying its recommended rule.
  await page.getByRole("button", { name: "Show the rule details for toggle-simulated-logging" }).click();
  await page.getByRole("button", { name: "Apply the recommended rule to toggle-simulated-logging" }).click();
  await expect(page.getByLabel("Rule for toggle-simulated-logging")).toHaveValue("require_approval");
  await expect(page.getByTestId("save-state")).toHaveText("Unsaved changes");

  await tab(page, "JSON").click();
  expect(await editorDocument(page)).toEqual({
    version: "1",
    default: "deny",
    tools: {
      echo: { action: "allow" },
      "get-sum": { action: "allow", limits: [{ counter: "get-sum_calls", window: "hour", max: 5, scope: "grant" }] },
      "toggle-simulated-logging": {
        action: "require_approval",
        reason: "toggle-simulated-logging is a critical-risk Destructive tool: a person must approve each call.",
      },
    },
  });
  await expect(page.getByText("No problems: the policy is valid.")).toBeVisible();

  // Leaving with unsaved changes asks first; staying keeps everything.
  page.once("dialog", (dialog) => {
    expect(dialog.message()).toContain("not saved");
    void dialog.dismiss();
  });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Servers" }).click();
  await expect(page).toHaveURL(new RegExp(`/servers/${serverId}/policy$`));
  await expect(page.getByTestId("save-state")).toHaveText("Unsaved changes");

  // Saving needs a message that says what changed.
  await page.getByRole("button", { name: "Save version 1" }).click();
  await expect(page.getByText("Say what this version changes, in a few words.")).toBeVisible();
  await save(page, "Allow reads, cap sums, hold log toggles", 1);
  await expect(page.getByTestId("active-policy")).toContainText("version 1");

  const state = await (await page.request.get(`/api/v1/servers/${serverId}/policy`)).json();
  expect(state.active).toMatchObject({ version: 1, message: "Allow reads, cap sums, hold log toggles" });
  expect(state.active.document.tools["toggle-simulated-logging"].action).toBe("require_approval");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Policies" }).click();
  await expect(row).toContainText("Version 1");
  await expect(row).toContainText("Default deny · 3 rules");
  await expect(row).toContainText("“Allow reads, cap sums, hold log toggles”");
});

test("paste the seed policy, see it in the builder, fix an error, save, diff, roll back and simulate", async ({ page }) => {
  test.setTimeout(150_000);
  await signUpInBrowser(page);
  const serverId = await registerServer(page);
  await page.goto(`/servers/${serverId}/policy`);
  await expect(page.getByRole("heading", { name: "Policy for everything", level: 1 })).toBeVisible();

  // (b) The seed JSON, pasted as is, shows in the builder as a rule of its own with its limit.
  await tab(page, "JSON").click();
  await replaceJson(page, SEED);
  const warning = page.getByTestId("policy-problem").filter({ hasText: "This server has no tool named invoke_agent_runtime" });
  await expect(warning).toHaveAttribute("data-kind", "warning");
  await tab(page, "Builder").click();
  const seedRow = ruleRow(page, "invoke_agent_runtime");
  await expect(seedRow).toBeVisible();
  await expect(seedRow).toContainText("This server has no tool named invoke_agent_runtime");
  await expect(seedRow).toContainText("10 a minute per key");
  await seedRow.getByRole("button", { name: "Show the rule details for invoke_agent_runtime" }).click();
  await expect(seedRow.getByLabel("Counter of limit 1")).toHaveValue("invoke_agent_runtime_rate");
  await expect(seedRow.getByLabel("Window of limit 1")).toHaveValue("minute");
  await expect(seedRow.getByLabel("Max calls of limit 1")).toHaveValue("10");
  await expect(seedRow.getByLabel("Counted per of limit 1")).toHaveValue("grant");
  await expect(page.getByRole("radio", { name: /^Deny/ })).toBeChecked();

  // (c) An invalid value is marked at its line, listed under the editor, and keeps the builder closed.
  await tab(page, "JSON").click();
  await replaceJson(page, SEED.replace('"minute"', '"minutes"'));
  const problem = page.getByTestId("policy-problem").filter({ hasText: "must be one of second, minute, hour, day" });
  await expect(problem).toContainText('got "minutes" (did you mean "minute"?)');
  await expect(problem).toContainText("Line 3, column 47");
  await expect(problem).toContainText("/tools/invoke_agent_runtime/limits/0/window");
  await expect(page.locator(".cm-lintRange-error")).toHaveCount(1);
  // The mark covers the member at fault, key and value.
  await expect(page.locator(".cm-lintRange-error")).toHaveText('"window": "minutes"');
  await expect(page.locator(".cm-lint-marker-error")).toHaveCount(1);
  await expect(tab(page, "JSON")).toContainText("1");
  // Choosing the problem puts the cursor on it.
  await problem.click();
  await expect(page.locator(".cm-activeLine")).toContainText('"window": "minutes"');
  await tab(page, "Builder").click();
  await expect(page.getByRole("heading", { name: "Fix the JSON errors to use the builder" })).toBeVisible();
  await page.getByRole("button", { name: "Open the JSON view" }).click();
  await replaceJson(page, SEED);
  await expect(page.getByTestId("policy-problem").filter({ hasText: "must be one of" })).toHaveCount(0);
  await expect(page.locator(".cm-lintRange-error")).toHaveCount(0);

  // (d) Saved with a message: version 1, exactly the text pasted.
  await save(page, "Seed policy from the catalog", 1);
  const first = await (await page.request.get(`/api/v1/servers/${serverId}/policy/versions/1`)).json();
  expect(first.text).toBe(SEED);

  // (e) A second version raises the limit in the builder.
  await tab(page, "Builder").click();
  await seedRow.getByRole("button", { name: "Show the rule details for invoke_agent_runtime" }).click();
  await seedRow.getByLabel("Max calls of limit 1").fill("20");
  await expect(seedRow).toContainText("20 a minute per key");
  await save(page, "Raise the runtime limit to 20", 2);

  await tab(page, "Versions").click();
  const versions = page.getByTestId("version-row");
  await expect(versions).toHaveCount(2);
  await expect(versions.first()).toContainText("Raise the runtime limit to 20");
  await expect(versions.first()).toContainText("Active");
  await expect(page.getByText("Tick two versions to see what changed between them.")).toBeVisible();
  await page.getByLabel("Compare version 1").check();
  await page.getByLabel("Compare version 2").check();
  const diff = page.getByRole("region", { name: "Changes from version 1 to version 2" });
  await expect(diff.locator('[data-diff="removed"]').filter({ hasText: '"max": 10' })).toHaveCount(1);
  await expect(diff.locator('[data-diff="added"]').filter({ hasText: '"max": 20' })).toHaveCount(1);
  // Ignoring formatting leaves the one change that matters.
  await page.getByLabel("Ignore formatting and key order").check();
  await expect(diff.locator('[data-diff="removed"]')).toHaveCount(1);
  await expect(diff.locator('[data-diff="added"]')).toHaveCount(1);
  await expect(diff.locator('[data-diff="added"]')).toContainText('"max": 20');

  // Rolling back asks first, then saves version 1's text as version 3.
  await versions.filter({ hasText: "Seed policy from the catalog" }).getByRole("button", { name: "Roll back to this version" }).click();
  const dialog = page.getByRole("dialog", { name: "Roll back to version 1?" });
  await expect(dialog).toContainText("saved again as version 3");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(versions).toHaveCount(2);
  await versions.filter({ hasText: "Seed policy from the catalog" }).getByRole("button", { name: "Roll back to this version" }).click();
  await dialog.getByRole("button", { name: "Roll back" }).click();
  await expect(page.getByText("Saved version 3: a copy of version 1")).toBeVisible();
  await expect(versions).toHaveCount(3);
  await expect(versions.first()).toContainText("Roll back to version 1");
  const third = await (await page.request.get(`/api/v1/servers/${serverId}/policy/versions/3`)).json();
  expect(third.text).toBe(first.text);
  expect(third.document).toEqual(first.document);
  // The editor follows the active version, since nothing was unsaved.
  await expect(page.getByTestId("active-policy")).toContainText("version 3");
  await tab(page, "JSON").click();
  expect(await editorDocument(page)).toEqual(JSON.parse(SEED));

  // (f) The simulator: a tool without a rule is denied by the default...
  await tab(page, "Simulator").click();
  await page.getByLabel("Tool", { exact: true }).selectOption("echo");
  await page.getByLabel(/^message/).fill("hello");
  await simulate(page);
  const result = page.getByTestId("simulation-result");
  await expect(result.locator('[data-decision="deny"]')).toBeVisible();
  await expect(result).toContainText("Denied by the default: no rule matches this tool.");
  await expect(page.getByTestId("matched-rule")).toHaveText("None: the default decided");
  await expect(page.getByTestId("decision-reason")).toContainText("the policy denies tools without a rule");

  // ...the rule with a limit allows, and shows its counter and where usage comes from...
  await page.getByLabel("Tool", { exact: true }).selectOption({ label: "Another tool name…" });
  await page.getByLabel("Tool name").fill("invoke_agent_runtime");
  await simulate(page);
  await expect(result.locator('[data-decision="allow"]')).toBeVisible();
  await expect(page.getByTestId("matched-rule")).toHaveText("invoke_agent_runtime");
  const counters = page.getByRole("table", { name: "Counters" });
  await expect(counters).toContainText("invoke_agent_runtime_rate");
  await expect(counters).toContainText("0 / 10 per minute");
  await expect(page.getByText(/hypothetical grant with no calls yet/)).toBeVisible();

  // ...and a constrained argument is refused with the constraint it breaks, on the editor's unsaved text.
  await tab(page, "Builder").click();
  await page.getByLabel("Rule for get-sum").selectOption("allow");
  await page.getByRole("button", { name: "Show the rule details for get-sum" }).click();
  await ruleRow(page, "get-sum").getByLabel("Maximum for a").fill("10");
  await expect(ruleRow(page, "get-sum")).toContainText("1 argument constraint");
  await tab(page, "Simulator").click();
  await expect(page.getByText("The policy in the editor (unsaved changes)")).toBeVisible();
  await page.getByLabel("Tool", { exact: true }).selectOption("get-sum");
  await page.getByLabel(/^a\s/).fill("50");
  await page.getByLabel(/^b\s/).fill("1");
  await simulate(page);
  await expect(result.locator('[data-decision="deny"]')).toBeVisible();
  await expect(result).toContainText("Refused: an argument breaks the rule's constraints.");
  await expect(page.getByRole("list", { name: "Argument violations" })).toContainText("a must be at most 10; got 50");
  await expect(page.getByTestId("matched-rule")).toHaveText("get-sum");
  // Within the constraint, the same call is allowed.
  await page.getByLabel(/^a\s/).fill("7");
  await simulate(page);
  await expect(result.locator('[data-decision="allow"]')).toBeVisible();
  await expect(page.getByTestId("missing-arguments")).toHaveCount(0);
  // Without b, which the tool requires, the policy still allows it, and the page says the server would not.
  await page.getByLabel(/^b\s/).fill("");
  await simulate(page);
  await expect(result.locator('[data-decision="allow"]')).toBeVisible();
  await expect(page.getByTestId("missing-arguments")).toHaveText(
    "The call leaves out an argument the tool requires (b): the policy lets it through, but the server would likely refuse it.",
  );
  // The active version (3) has no rule for get-sum.
  await page.getByLabel("The active version (version 3)").check();
  await simulate(page);
  await expect(result.locator('[data-decision="deny"]')).toBeVisible();
  await expect(result).toContainText("version 3");
});

test("a save based on an old version is refused without losing the text, and can be reapplied", async ({ page }) => {
  test.setTimeout(90_000);
  await signUpInBrowser(page);
  const serverId = await registerServer(page);
  await page.goto(`/servers/${serverId}/policy`);
  await page.getByLabel("Rule for echo").selectOption("deny");

  // Meanwhile, someone else saves version 1.
  const theirs = '{"version": "1", "default": "allow", "tools": {}}';
  const other = await page.request.post(`/api/v1/servers/${serverId}/policy/versions`, { data: { text: theirs, message: "Open everything", basedOn: 0 } });
  expect(other.status()).toBe(201);

  await page.getByPlaceholder(/What does this version change/).fill("Deny echo");
  await page.getByRole("button", { name: "Save version 1" }).click();
  const conflict = page.getByRole("alert").filter({ hasText: "Version 1 was saved while you were editing" });
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText("Open everything");
  await expect(conflict.getByRole("region", { name: "Your text compared with version 1" }).locator('[data-diff="added"]').filter({ hasText: '"action": "deny"' })).toHaveCount(1);

  // Loading the newest version keeps my text in the panel, and it can be put back.
  await conflict.getByRole("button", { name: "Load version 1 (my text stays here)" }).click();
  await tab(page, "JSON").click();
  expect(await editorDocument(page)).toEqual(JSON.parse(theirs));
  await conflict.getByRole("button", { name: "Put my text back in the editor" }).click();
  expect(await editorDocument(page)).toMatchObject({ tools: { echo: { action: "deny" } } });

  // Saving mine on top of version 1, knowingly.
  await conflict.getByRole("button", { name: "Save mine as version 2" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved version 2" })).toBeVisible();
  await expect(conflict).toBeHidden();
  const state = await (await page.request.get(`/api/v1/servers/${serverId}/policy`)).json();
  expect(state.active).toMatchObject({ version: 2, message: "Deny echo" });
  expect(state.active.document.tools.echo).toEqual({ action: "deny" });
});

test("a refused save says once what to fix, and where; a save without a message also points at the policy's errors", async ({ page }) => {
  await signUpInBrowser(page);
  const serverId = await registerServer(page);
  await page.goto(`/servers/${serverId}/policy`);
  await tab(page, "JSON").click();

  // Broken JSON and no message: both are named.
  await replaceJson(page, '{ "version": "1", "default": "deny", "tools": { "echo": {}, } }');
  await page.getByRole("button", { name: "Save version 1" }).click();
  await expect(page.locator("#policy-save-message-error")).toHaveText(
    "Say what this version changes, in a few words. The policy also has an error to fix: see Problems.",
  );

  // Valid, but an example fails: the reason is listed once in the refusal, with its place, not repeated above it.
  await replaceJson(page, '{ "version": "1", "default": "deny", "tools": { "echo": {} }, "tests": [ { "tool": "echo", "expect": "deny" } ] }');
  await page.getByPlaceholder(/What does this version change/).fill("Try a failing example");
  await page.getByRole("button", { name: "Save version 1" }).click();
  const refusal = page.getByRole("alert").filter({ hasText: "Not saved: the policy’s examples fail" });
  await expect(refusal).toContainText("Fix this, then save again:");
  await expect(refusal.getByRole("list", { name: "Why the save was refused" }).getByRole("listitem")).toHaveCount(1);
  expect((await refusal.innerText()).match(/expected deny but got allow/g)).toHaveLength(1);
  const state = await (await page.request.get(`/api/v1/servers/${serverId}/policy`)).json();
  expect(state.active).toBeNull();
});

test("with no servers, the policies page says where to start", async ({ page }) => {
  await signUpInBrowser(page);
  await page.goto("/policies");
  await expect(page.getByRole("heading", { name: "No servers, so no policies yet" })).toBeVisible();
  await page.getByRole("link", { name: "Register a server" }).last().click();
  await expect(page).toHaveURL(/\/servers\/new$/);
});

test("the simulator shows a grant's real usage, and counts nothing itself", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  await signUpInBrowser(page);
  const serverId = await registerServer(page);
  const other = await registerServer(page, "other");
  // A daily window: no window ends while the test runs.
  const policy = { version: "1", default: "deny", tools: { echo: { limits: [{ counter: "echoes", window: "day", max: 2, scope: "grant" }] } } };
  const saved = await page.request.post(`/api/v1/servers/${serverId}/policy/versions`, { data: { text: JSON.stringify(policy), message: "Two echoes a day", basedOn: 0 } });
  expect(saved.status(), await saved.text()).toBe(201);
  const created = async (name: string, serverIds: string[]) => {
    const response = await page.request.post("/api/v1/grants", { data: { name, serverIds } });
    expect(response.status(), await response.text()).toBe(201);
    return (await response.json()) as { grant: { id: string; keyPrefix: string }; key: string };
  };
  const agent = await created("reporting agent", [serverId]);
  await created("other server only", [other]);
  const revoked = await created("revoked agent", [serverId]);
  expect((await page.request.delete(`/api/v1/grants/${revoked.grant.id}`)).status()).toBe(200);

  // The agent makes both of its calls for the day through the gateway.
  const client = new Client({ name: "policies-e2e", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`/gateway/${serverId}/mcp`, baseURL), { requestInit: { headers: { authorization: `Bearer ${agent.key}` } } }));
  for (const message of ["one", "two"]) expect((await client.callTool({ name: "echo", arguments: { message } })).isError).toBeFalsy();
  await client.close();

  await page.goto(`/servers/${serverId}/policy`);
  await tab(page, "Simulator").click();
  const grant = page.getByLabel("Grant", { exact: true });
  // Only the active grant that reaches this server is offered, after the hypothetical one.
  await expect(grant.locator("option")).toHaveText(["No grant (a hypothetical one)", `reporting agent (${agent.grant.keyPrefix}…)`]);
  await expect(grant).toHaveValue("");
  await page.getByLabel("Tool", { exact: true }).selectOption("echo");
  await page.getByLabel(/^message/).fill("three");
  await page.getByLabel("The active version (version 1)").check();

  // Without a grant: a hypothetical one with no calls yet.
  await simulate(page);
  const result = page.getByTestId("simulation-result");
  const counters = page.getByRole("table", { name: "Counters" });
  await expect(result.locator('[data-decision="allow"]')).toBeVisible();
  await expect(page.getByTestId("simulated-grant")).toHaveText("None (a hypothetical one)");
  await expect(counters).toContainText("0 / 2 per day");
  await expect(counters.locator("time")).toHaveAttribute("datetime", /T00:00:00\.000Z$/);

  // With the agent's grant, chosen with the keyboard: its two calls are counted, so a third is rate limited.
  await grant.focus();
  await page.keyboard.press("ArrowDown");
  await expect(grant).toHaveValue(agent.grant.id);
  await simulate(page);
  await expect(result.locator('[data-decision="rate_limited"]')).toBeVisible();
  await expect(page.getByTestId("simulated-grant")).toHaveText(`reporting agent (${agent.grant.keyPrefix}…)`);
  await expect(counters).toContainText("2 / 2 per day (used up)");
  await expect(page.getByTestId("decision-reason")).toContainText("counter echoes allows 2 calls per day");
  await expect(page.getByText("Used is the calls already counted in the current window. Simulating counts nothing.")).toBeVisible();

  // Simulating again counted nothing: still 2 of 2.
  await simulate(page);
  await expect(counters).toContainText("2 / 2 per day (used up)");

  // The API refuses a grant that does not reach this server, on the grant field.
  const refused = await page.request.post(`/api/v1/servers/${serverId}/policy/simulate`, { data: { tool: "echo", grant: revoked.grant.id } });
  expect(refused.status()).toBe(422);
  expect((await refused.json()).errors).toEqual([{ path: "body.grant", message: expect.stringContaining("revoked") }]);
});

test("a save shows the version from its own answer, without fetching the policy again", async ({ page }) => {
  await signUpInBrowser(page);
  const serverId = await registerServer(page);
  await page.goto(`/servers/${serverId}/policy`);
  await expect(page.getByTestId("save-state")).toHaveText("Not saved yet");
  await page.getByLabel("Rule for echo").selectOption("allow");

  // Every read of the policy's state from here on: the save's answer already holds it.
  const stateReads: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "GET" && new URL(request.url()).pathname === `/api/v1/servers/${serverId}/policy`) stateReads.push(request.url());
  });
  await save(page, "Allow echo", 1);
  await expect(page.getByTestId("active-policy")).toContainText("version 1");
  expect(stateReads).toEqual([]);
});
