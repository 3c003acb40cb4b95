import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { signUpInBrowser } from "./support/accounts";
import { serverWithGrant } from "./support/api-client";
import { connectAgent } from "./support/mcp-agent";
import { startServerEverything, type RunningUpstream } from "./support/server-everything";

// Human approval of held calls: the official SDK client calls a tool whose rule requires approval, the gateway holds
// the call on its stream, and a person approves or rejects it on the Approvals page while the client waits.

const REASON = "A person reads every message before it is sent.";

let upstream: RunningUpstream;
const clients: Client[] = [];

test.beforeAll(async () => {
  upstream = await startServerEverything();
});

test.afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await upstream?.stop();
});

/** A server whose policy holds `echo` for approval, and a grant for it, set up with the browser's session. */
async function setUp(page: Page): Promise<{ serverId: string; key: string }> {
  const policy = { version: "1", default: "deny", tools: { echo: { action: "require_approval", reason: REASON } } };
  return serverWithGrant(page.request, upstream.url, policy, "everything", "sdk agent");
}

async function connect(baseURL: string, serverId: string, key: string): Promise<Client> {
  const client = await connectAgent(baseURL, serverId, key, "approvals-e2e");
  clients.push(client);
  return client;
}

type ToolResult = Awaited<ReturnType<Client["callTool"]>>;

/** The held call's answer, or a failure that says so well before the gateway's 50 s hold runs out. */
function settled(call: Promise<ToolResult>, ms = 30_000): Promise<ToolResult> {
  return Promise.race([call, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the held call did not return within ${ms} ms`)), ms))]);
}

const textOf = (result: ToolResult) => (result.content as { type: string; text?: string }[]).map((c) => c.text ?? "").join("\n");

const cards = (page: Page) => page.getByTestId("approval-card");
const decisionRows = (page: Page) => page.getByTestId("decision-row");
const navLink = (page: Page) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Approvals/ });

test("a held call is approved on the Approvals page while its agent waits, and another is rejected with a note", async ({ page, baseURL }) => {
  test.setTimeout(150_000);
  const email = await signUpInBrowser(page);
  const { serverId, key } = await setUp(page);
  const client = await connect(baseURL!, serverId, key);

  // Nothing waits yet: the page says what will appear and how to make a rule hold calls.
  await navLink(page).click();
  await expect(page).toHaveURL(/\/approvals$/);
  await expect(page.getByRole("heading", { name: "Approvals", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Nothing is waiting for approval" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to your policies" })).toHaveAttribute("href", "/policies");
  await expect(page.getByText("No decisions yet.")).toBeVisible();
  await expect(page.getByTestId("pending-approvals-badge")).toHaveCount(0);
  // New arrivals must appear without a reload: this marker on the window survives only if the page is not reloaded.
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

  // 1. The agent calls echo; the gateway holds the call, and the page shows it while the client waits.
  const approvedCall = client.callTool({ name: "echo", arguments: { message: "ship it" } });
  approvedCall.catch(() => {}); // awaited below; a failure before then is reported there
  const card = page.getByRole("article", { name: "echo" });
  await expect(card).toBeVisible({ timeout: 15_000 });
  await expect(cards(page)).toHaveCount(1);
  await expect(card.getByRole("link", { name: "everything" })).toHaveAttribute("href", `/servers/${serverId}`);
  await expect(card).toContainText("sdk agent");
  await expect(card).toContainText(REASON);
  await expect(card.getByRole("region", { name: "Arguments" })).toContainText('"message": "ship it"');
  await expect(card).toContainText(/The agent is waiting: \d+ s left/);
  await expect(card).toContainText(/waiting \d+ s/);
  await expect(page.getByText("1 call is waiting.")).toBeVisible();
  await expect(navLink(page)).toHaveAccessibleName("Approvals 1 waiting");
  await expect(page.getByTestId("pending-approvals-badge")).toContainText("1");
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

  // The person approves with a note; the client's call returns the server's answer.
  await card.getByLabel("Note (optional)").fill("Checked: fine to send.");
  await card.getByRole("button", { name: "Approve" }).click();
  const approved = await settled(approvedCall);
  expect(approved.isError).toBeFalsy();
  expect(textOf(approved)).toContain("ship it");

  await expect(cards(page)).toHaveCount(0);
  await expect(page.getByText("Approved: echo from sdk agent.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Nothing is waiting for approval" })).toBeVisible();
  await expect(page.getByTestId("pending-approvals-badge")).toHaveCount(0);
  const madeRow = decisionRows(page).first();
  await expect(madeRow).toHaveAttribute("data-status", "used", { timeout: 15_000 });
  await expect(madeRow).toContainText("Approved and made");
  await expect(madeRow).toContainText("echo");
  await expect(madeRow).toContainText("sdk agent");
  await expect(madeRow).toContainText(email);
  await expect(madeRow).toContainText("Checked: fine to send.");

  // 2. Another call is rejected from the page: the agent gets an error result carrying the note.
  const rejectedCall = client.callTool({ name: "echo", arguments: { message: "drop the production table" } });
  rejectedCall.catch(() => {});
  await expect(card).toBeVisible({ timeout: 15_000 });
  await expect(card.getByRole("region", { name: "Arguments" })).toContainText("drop the production table");
  await expect(navLink(page)).toHaveAccessibleName("Approvals 1 waiting");
  // By keyboard this time: type the note, then Tab to Reject (after Approve) and press Enter.
  await card.getByLabel("Note (optional)").fill("Not today: ask the database team first.");
  await card.getByRole("button", { name: "Approve" }).focus();
  await page.keyboard.press("Tab");
  await expect(card.getByRole("button", { name: "Reject" })).toBeFocused();
  await page.keyboard.press("Enter");
  const rejected = await settled(rejectedCall);
  expect(rejected.isError).toBe(true);
  expect(textOf(rejected)).toContain("Not today: ask the database team first.");

  await expect(cards(page)).toHaveCount(0);
  await expect(page.getByText("Rejected: echo from sdk agent.")).toBeVisible();
  // With no card left, focus goes back to the section rather than to the page's top.
  await expect(page.getByRole("heading", { name: "Waiting for a decision" })).toBeFocused();
  const rejectedRow = decisionRows(page).filter({ hasText: "Rejected" });
  await expect(rejectedRow).toHaveCount(1);
  await expect(rejectedRow).toHaveAttribute("data-status", "rejected");
  await expect(rejectedRow).toContainText(email);
  await expect(rejectedRow).toContainText("Not today: ask the database team first.");
  await expect(decisionRows(page)).toHaveCount(2);
});

test("deciding a call someone else already decided says so on its card", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await signUpInBrowser(page);
  const { serverId, key } = await setUp(page);
  const client = await connect(baseURL!, serverId, key);
  await page.goto("/approvals");
  await expect(page.getByRole("heading", { name: "Nothing is waiting for approval" })).toBeVisible();

  const call = client.callTool({ name: "echo", arguments: { message: "twice" } });
  call.catch(() => {});
  const card = page.getByRole("article", { name: "echo" });
  await expect(card).toBeVisible({ timeout: 15_000 });
  const id = await card.getAttribute("data-approval-id");

  // The page stops hearing from the server (so the card stays), and a colleague rejects the call meanwhile.
  const pendingList = /\/api\/v1\/approvals\?state=pending/;
  await page.route(pendingList, (route) => route.abort());
  await expect(page.getByTestId("live-status")).toHaveText(/Reconnecting/, { timeout: 15_000 });
  const colleague = await page.request.post(`/api/v1/approvals/${id}/decision`, { data: { decision: "reject", note: "Already handled." } });
  expect(colleague.status(), await colleague.text()).toBe(200);
  const result = await settled(call);
  expect(result.isError).toBe(true);
  expect(textOf(result)).toContain("Already handled.");

  await card.getByRole("button", { name: "Approve" }).click();
  const alert = card.getByRole("alert");
  await expect(alert).toContainText("This call can no longer be decided");
  await expect(alert).toContainText("It was already rejected");
  await expect(card.getByRole("button", { name: "Approve" })).toHaveCount(0);

  await page.unroute(pendingList);
  await expect(page.getByTestId("live-status")).toHaveText(/Live/, { timeout: 15_000 });
  // The card stays until dismissed, so the reason is not lost when the list refreshes.
  await expect(card).toBeVisible();
  await card.getByRole("button", { name: "Dismiss" }).click();
  await expect(cards(page)).toHaveCount(0);
  await expect(decisionRows(page).filter({ hasText: "Rejected" })).toContainText("Already handled.");
});

test("the approvals webhook is set in Settings, tested from there, and its URL is never shown again", async ({ page }) => {
  const received: string[] = [];
  let status = 200;
  const hook = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push(body);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
  try {
    const origin = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
    await signUpInBrowser(page);
    await page.goto("/settings");
    const section = page.getByRole("form", { name: "Approvals webhook" });
    await section.getByLabel("Webhook URL").fill("ftp://example.com/hook");
    await section.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(/must start with https:\/\//).first()).toBeVisible();

    await section.getByLabel("Webhook URL").fill(`${origin}/services/T1/B1/s3cret-token`);
    await section.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(`Saved. Each call held for approval is now posted to ${origin}.`)).toBeVisible();
    await expect(page.getByText("s3cret-token")).toHaveCount(0);

    await page.getByRole("button", { name: "Send a test message" }).click();
    await expect(page.getByText(`${origin} accepted the test message (HTTP 200).`)).toBeVisible();
    expect(JSON.parse(received[0]!)).toMatchObject({ test: true });

    status = 410;
    await page.getByRole("button", { name: "Send a test message" }).click();
    await expect(page.getByText(`${origin} answered HTTP 410: check the URL, or that the webhook still exists.`)).toBeVisible();

    await page.reload();
    await expect(page.getByTestId("webhook-state")).toContainText(origin);
    await expect(page.getByText("s3cret-token")).toHaveCount(0);
  } finally {
    hook.closeAllConnections();
    await new Promise((resolve) => hook.close(resolve));
  }
});
