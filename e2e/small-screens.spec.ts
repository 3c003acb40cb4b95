import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { expect, test } from "@playwright/test";
import { signUpInBrowser } from "./support/accounts";
import { serverWithGrant } from "./support/api-client";
import { connectAgent } from "./support/mcp-agent";
import { startServerEverything, type RunningUpstream } from "./support/server-everything";

// On a phone, no page of the console scrolls sideways: wide tables scroll inside their cards, the navigation wraps.

let upstream: RunningUpstream;
let agent: Client | undefined;

test.beforeAll(async () => {
  upstream = await startServerEverything();
});

test.afterAll(async () => {
  await agent?.close().catch(() => {});
  await upstream?.stop();
});

test.use({ viewport: { width: 390, height: 844 } });

test("on a 390 px screen, no console page is wider than the screen, and every section is in the navigation's view", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  await signUpInBrowser(page);
  const policy = { version: "1", default: "deny", tools: { echo: {}, "get-env": { action: "deny", reason: "Secrets." } } };
  const { serverId, key } = await serverWithGrant(page.request, upstream.url, policy, "everything", "a grant with a rather long name for a phone");
  agent = await connectAgent(baseURL!, serverId, key, "small-screens");
  await agent.callTool({ name: "echo", arguments: { message: "hello" } });
  expect((await page.request.post("/api/v1/tokens", { data: { name: "a token for the phone" } })).status()).toBe(201);

  for (const path of ["/servers", `/servers/${serverId}`, `/servers/${serverId}/policy`, "/policies", "/grants", "/activity", "/approvals", "/settings"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle");
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, `${path} is ${scrollWidth} px wide`).toBeLessThanOrEqual(innerWidth);
    for (const link of await page.getByRole("navigation", { name: "Main" }).getByRole("link").all()) {
      await expect(link, `${path}: the ${await link.textContent()} link`).toBeInViewport();
    }
  }
});
