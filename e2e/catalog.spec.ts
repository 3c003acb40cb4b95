import { expect, test, type Page } from "@playwright/test";
import { validatePolicy } from "../lib/policy";

// The public catalog as a newcomer meets it, signed out: search with a typo, filter, open a dangerous tool, copy
// its policy, go to its server; untrusted descriptions stay text, and nothing on the pages breaks the CSP.

/** Console errors and page errors (a CSP refusal is logged as a console error). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/** The snapshot loads about a second after the server starts: reload until the catalog has results. */
async function openCatalog(page: Page, path = "/catalog") {
  await expect(async () => {
    await page.goto(path);
    await expect(page.getByTestId("results")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
}

const facet = (page: Page, title: string, value: string) => page.locator(`[data-facet="${title}"] a[data-value="${value}"]`);

test("search with a typo, filter, open a tool, copy its policy, open its server", async ({ page, context }) => {
  const errors = watchErrors(page);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await openCatalog(page);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Catalog", level: 1 })).toBeVisible();

  // Keyboard only: focus the search box, type a misspelt name, press Enter.
  await page.getByRole("searchbox", { name: "Search the catalog" }).focus();
  await page.keyboard.type("filesytem");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/catalog\?q=filesytem/);
  await expect(page.getByTestId("corrections")).toContainText("Showing results for");
  await expect(page.getByTestId("corrections")).toContainText("filesystem");
  const writeFile = page.getByTestId("tool-result").filter({ hasText: "write_file" }).filter({ hasText: "Filesystem" });
  await expect(writeFile.first()).toBeVisible();

  // Filter by level: the URL keeps it, the count changes, and the facet says what each value gives.
  const before = await page.getByTestId("result-count").textContent();
  const criticalCount = Number(await facet(page, "Risk level", "critical").locator("[data-count]").textContent());
  const highCount = Number(await facet(page, "Risk level", "high").locator("[data-count]").textContent());
  expect(highCount).toBeGreaterThan(0);
  await facet(page, "Risk level", "high").click();
  await expect(page).toHaveURL(/[?&]level=high(&|$)/);
  await expect(facet(page, "Risk level", "high")).toHaveAttribute("aria-checked", "true");
  await expect(page.getByTestId("result-count")).toContainText(`${highCount} tool`);
  expect(await page.getByTestId("result-count").textContent()).not.toBe(before);
  for (const badge of await page.getByTestId("tool-result").locator("[data-level]").all()) await expect(badge).toHaveAttribute("data-level", "high");
  // Adding a second level gives the sum of both.
  await facet(page, "Risk level", "critical").click();
  await expect(page).toHaveURL(/level=high%2Ccritical|level=high,critical/);
  await expect(page.getByTestId("result-count")).toContainText(`${highCount + criticalCount} tool`);
  // The filter survives a reload (it lives in the URL).
  await page.reload();
  await expect(facet(page, "Risk level", "critical")).toHaveAttribute("aria-checked", "true");

  // Every result under the filter is High or Critical. Then, without it, open a tool that writes: the filesystem
  // server's write_file, which the rubric rates Medium (a file in the folders you allowed, which you can change back).
  for (const badge of await page.getByTestId("tool-result").locator("[data-level]").all()) await expect(badge).toHaveAttribute("data-level", /high|critical/);
  await facet(page, "Risk level", "high").click();
  await expect(page).toHaveURL(/[?&]level=critical(&|$)/);
  await facet(page, "Risk level", "critical").click();
  await expect(page).not.toHaveURL(/level=/);
  await page.getByTestId("tool-result").filter({ hasText: "Filesystem" }).getByRole("link", { name: "write_file", exact: true }).click();
  await expect(page).toHaveURL(/\/catalog\/servers\/io\.github\.modelcontextprotocol%2Fserver-filesystem\/tools\/write_file$/);
  await expect(page.getByRole("heading", { name: "write_file", level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(/write_file \(Filesystem\): Medium risk/);
  await expect(page.locator("h1 + * [data-level], h1 ~ div [data-level]").first()).toHaveAttribute("data-level", "medium");
  await expect(page.getByRole("link", { name: "How levels work" }).first()).toHaveAttribute("href", "/risk-levels");
  await expect(page.getByRole("list", { name: "Reasons" }).getByRole("listitem").first()).toBeVisible();
  await expect(page.getByText("Models read this text as instructions")).toBeVisible();
  // Questions answered from this tool's data: it writes, and it takes a path and its content.
  const questions = page.getByTestId("tool-questions");
  await expect(questions.getByText("Can write_file change or delete anything?")).toBeVisible();
  await expect(questions).toContainText(/Yes\. (Creates or changes data|Deletes or overwrites data)\. Medium risk\./);
  await expect(questions).toContainText("What does an agent pass to write_file?");
  await expect(questions.locator("code", { hasText: /^path$/ })).toBeVisible();

  // Copy the recommended policy: what lands on the clipboard is a valid policy naming the tool.
  await page.getByRole("button", { name: "Copy JSON" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const policy = JSON.parse(copied);
  expect(validatePolicy(policy).ok).toBe(true);
  expect(Object.keys(policy.tools)).toContain("write_file");
  expect(JSON.parse((await page.getByTestId("recommended-policy").textContent())!)).toEqual(policy);

  // Other tools of the server link to their own pages; the server's page has the tools table and how to register it.
  await expect(page.getByRole("complementary", { name: "Related tools" }).getByRole("link", { name: "read_text_file" })).toBeVisible();
  await page.getByRole("link", { name: /All about Filesystem/ }).click();
  await expect(page).toHaveURL(/\/catalog\/servers\/io\.github\.modelcontextprotocol%2Fserver-filesystem$/);
  await expect(page.getByRole("heading", { name: "Filesystem", level: 1 })).toBeVisible();
  const table = page.getByRole("table", { name: "Tools" });
  await expect(table.getByRole("link", { name: "write_file" })).toBeVisible();
  await expect(page.getByTestId("package")).toContainText("@modelcontextprotocol/server-filesystem@");
  await expect(page.getByTestId("listing")).toContainText("unshare -n");
  await expect(page.getByText(/npx -y supergateway --stdio "npx -y @modelcontextprotocol\/server-filesystem@[^ ]+ <allowed_directory>" --outputTransport streamableHttp/)).toBeVisible();

  expect(errors).toEqual([]);
});

test("a description holding HTML is shown as text, and nothing in it runs", async ({ page }) => {
  const errors = watchErrors(page);
  await openCatalog(page);
  await page.goto(`/catalog/servers/${encodeURIComponent("io.github.executeautomation/mcp-playwright")}/tools/playwright_get_visible_html`);
  const description = page.getByTestId("tool-description");
  await expect(description).toContainText("all <script> tags are removed");
  // The text is text: no element came out of it.
  await expect(description.locator("script")).toHaveCount(0);
  // The only script elements in the page's content are JSON-LD data blocks (never run), with no raw "<" in them.
  expect(await page.locator('main script:not([type="application/ld+json"])').count()).toBe(0);
  const blocks = await page.locator('main script[type="application/ld+json"]').allTextContents();
  expect(blocks.length).toBe(2);
  for (const block of blocks) expect(block).not.toContain("<");
  expect(errors).toEqual([]);
});

test("servers list, unknown names are 404s, and the sitemap lists every page", async ({ page, request }) => {
  const errors = watchErrors(page);
  await openCatalog(page, "/catalog?type=servers&q=filesystem");
  await expect(page.getByTestId("server-result").first()).toContainText("Filesystem");

  const missing = await page.goto("/catalog/servers/io.github.nobody%2Fnothing");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "The catalog has no such server or tool" })).toBeVisible();
  const missingTool = await page.goto(`/catalog/servers/${encodeURIComponent("io.github.modelcontextprotocol/server-filesystem")}/tools/no_such_tool`);
  expect(missingTool?.status()).toBe(404);

  // Pages keep their place in the URL.
  await page.goto("/catalog");
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/\/catalog\?page=2$/);
  await expect(page.getByTestId("result-count")).toContainText("21–40 shown");
  await page.getByRole("link", { name: "Previous page" }).click();
  await expect(page).toHaveURL(/\/catalog$/);
  // A page past the last says so and links back.
  await page.goto("/catalog?page=400");
  await expect(page.getByRole("link", { name: "Go to the first page" })).toBeVisible();
  // A bad filter gets a sentence, not a crash.
  await page.goto("/catalog?level=extreme");
  await expect(page.getByRole("alert").filter({ hasText: "This search cannot be run" })).toContainText("Unknown level");

  // The sitemap is an index of parts, each listing at most 40,000 pages; together they list every page.
  const sitemap = await request.get("/sitemap.xml");
  expect(sitemap.status()).toBe(200);
  const index = await sitemap.text();
  expect(index).toContain("<sitemapindex");
  const parts = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
  expect(parts).toEqual(["/sitemaps/servers-0.xml", "/sitemaps/tools-0.xml"]);
  const xml = (await Promise.all(parts.map(async (part) => {
    const answer = await request.get(part);
    expect(answer.status()).toBe(200);
    expect(answer.headers()["content-type"]).toContain("application/xml");
    return answer.text();
  }))).join("\n");
  expect(xml).toContain("/catalog</loc>");
  expect(xml).toContain("/catalog/servers/io.github.modelcontextprotocol%2Fserver-filesystem</loc>");
  expect(xml).toContain("/catalog/servers/io.github.modelcontextprotocol%2Fserver-filesystem/tools/write_file</loc>");
  expect((await request.get("/sitemaps/tools-1.xml")).status()).toBe(404);
  expect((await request.get("/sitemaps/everything.xml")).status()).toBe(404);
  expect(errors.filter((e) => !e.includes("404"))).toEqual([]);
});

test("screenshots of the three pages", async ({ page }) => {
  await openCatalog(page, "/catalog?q=filesytem");
  await page.screenshot({ path: "/tmp/catalog-search.png", fullPage: true });
  await page.goto(`/catalog/servers/${encodeURIComponent("io.github.modelcontextprotocol/server-filesystem")}`);
  await page.screenshot({ path: "/tmp/catalog-server.png", fullPage: true });
  await page.goto(`/catalog/servers/${encodeURIComponent("io.github.modelcontextprotocol/server-filesystem")}/tools/write_file`);
  await page.screenshot({ path: "/tmp/catalog-tool.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/catalog?q=filesytem");
  await page.screenshot({ path: "/tmp/catalog-search-dark.png", fullPage: true });
});
