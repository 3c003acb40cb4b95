import { expect, test, type Page } from "@playwright/test";
import { signUpInBrowser } from "./support/accounts";
import { startServerEverything, type RunningUpstream } from "./support/server-everything";

// From a catalog tool to a policy in front of one's own server, as a person goes: a signed-out visitor presses "Use
// this policy", signs up, registers the server from the catalog, and lands in its policy editor with the catalog's
// rule in an unsaved draft; the server's page shows which catalog entry it is and how its tools compare. A second
// "Use this policy" goes straight to the editor. Nothing is saved until Save.
test.describe.configure({ timeout: 120_000 });

const EVERYTHING = "io.github.modelcontextprotocol/server-everything";
const toolPage = (tool: string) => `/catalog/servers/${encodeURIComponent(EVERYTHING)}/tools/${tool}`;

let upstream: RunningUpstream;
test.beforeAll(async () => {
  upstream = await startServerEverything("streamableHttp");
});
test.afterAll(async () => {
  await upstream?.stop();
});

/** The snapshot loads about a second after the server starts: reload until the tool's page is there. */
async function openToolPage(page: Page, tool: string) {
  await expect(async () => {
    const response = await page.goto(toolPage(tool));
    expect(response?.status()).toBe(200);
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole("heading", { name: tool, level: 1 })).toBeVisible();
}

/** The active policy as the API returns it (null when none was ever saved). */
async function activePolicy(page: Page, serverId: string): Promise<{ version: number; text: string } | null> {
  const response = await page.request.get(`/api/v1/servers/${serverId}/policy`);
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { active: { version: number; text: string } | null };
  return body.active;
}

test("use a catalog tool's policy: sign up, register from the catalog, the rule waits in a draft", async ({ page }) => {
  await openToolPage(page, "echo");
  // The page's structured data is one JSON document per block, with nothing that could close the block.
  const blocks = await page.locator('script[type="application/ld+json"]').allTextContents();
  expect(blocks.map((block) => JSON.parse(block)["@type"])).toEqual(["BreadcrumbList", "FAQPage"]);
  for (const block of blocks) {
    expect(block).not.toMatch(/<\/script/i);
    expect(JSON.parse(block)["@context"]).toBe("https://schema.org");
  }
  const crumbs = blocks.map((b) => JSON.parse(b)).find((d) => d["@type"] === "BreadcrumbList");
  expect(crumbs.itemListElement.at(-1).name).toBe("echo");

  // Signed out, the button says it signs in first, and comes back to the same choice afterwards.
  const use = page.getByRole("link", { name: "Sign in to use this policy" });
  await expect(use).toBeVisible();
  const href = await use.getAttribute("href");
  const callback = new URL(href!, "http://x").searchParams.get("callbackUrl")!;
  expect(callback).toBe(`/policies/from-catalog?${new URLSearchParams({ server: EVERYTHING, tool: "echo" })}`);

  await signUpInBrowser(page);
  await page.goto(callback);
  // No server of this workspace is server-everything yet: register it first.
  await expect(page.getByRole("heading", { name: /None of your servers is/ })).toBeVisible();
  await page.getByRole("link", { name: /^Register / }).click();
  await expect(page).toHaveURL(/\/servers\/new\?catalogServer=/);
  await expect(page.getByTestId("register-from-catalog")).toContainText("policy editor opens with the catalog’s rule for echo");
  // It is a package the catalog runs over stdio: the form has its short name, and the URL is the person's to give.
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("server-everything");
  await expect(page.getByLabel("URL")).toHaveValue("");
  await page.getByLabel("URL").fill(upstream.url);
  await page.getByRole("button", { name: "Register server" }).click();

  // Registered: the policy editor, with the catalog's rule for echo in the draft and nothing saved.
  await expect(page).toHaveURL(/\/servers\/[0-9a-f-]{36}\/policy\?catalogServer=.*&catalogTool=echo$/, { timeout: 30_000 });
  const serverId = new URL(page.url()).pathname.split("/")[2]!;
  const banner = page.getByTestId("catalog-proposal");
  await expect(banner).toContainText("The catalog’s recommended rule for echo");
  await expect(banner).toContainText("Nothing is saved until you press Save");
  expect(await activePolicy(page, serverId)).toBeNull();
  await expect(page.getByTestId("save-state")).toHaveText("Unsaved changes");

  // Saved only when the person saves it: then the active policy holds the rule.
  await page.getByPlaceholder(/What does this version change/).fill("the catalog's rule for echo");
  await page.getByRole("button", { name: "Save version 1" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved version 1" })).toBeVisible();
  await expect.poll(async () => (await activePolicy(page, serverId))?.text ?? "").toContain('"echo"');
  const saved = await activePolicy(page, serverId);

  // The server's page says which catalog entry it is, and compares the tools.
  await page.goto(`/servers/${serverId}`);
  const match = page.getByTestId("catalog-match");
  await expect(match).toContainText("This server is");
  await expect(match.getByRole("link", { name: /Everything/i }).first()).toHaveAttribute("href", `/catalog/servers/${encodeURIComponent(EVERYTHING)}`);
  await expect(page.getByTestId("catalog-diff-summary")).toContainText(/of its \d+ tools are listed exactly as the catalog lists them|All \d+ of its tools/);

  // Now "Use this policy" on another tool goes straight to this server's editor; leaving without saving saves nothing.
  await openToolPage(page, "get-sum");
  await page.getByRole("link", { name: "Use this policy", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/servers/${serverId}/policy\\?catalogServer=.*&catalogTool=get-sum$`), { timeout: 30_000 });
  await expect(page.getByTestId("catalog-proposal")).toContainText("get-sum");
  expect((await activePolicy(page, serverId))?.version).toBe(saved!.version);

  // A tool the catalog does not have is refused with the reason, and the editor opens without a draft from it.
  await page.goto(`/servers/${serverId}/policy?catalogServer=${encodeURIComponent(EVERYTHING)}&catalogTool=no-such-tool`);
  await expect(page.getByText(/has no tool named "no-such-tool" in the catalog/)).toBeVisible();
  await expect(page.getByTestId("catalog-proposal")).toHaveCount(0);
});
