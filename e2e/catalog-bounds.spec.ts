import { expect, test } from "@playwright/test";
import pg from "pg";
import { migrate } from "../lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "../tests/test-database";
import { startApp, type AppProcess } from "./support/app-process";

// The public catalog's bounds, from outside, on an app of its own: one catalog connection and a 1 s limit per
// statement. While the catalog's search table is locked (as a read past the limit would be, whatever its cause),
// catalog reads wait, are stopped and answered 503 with what to do, and the rest of the app, which reads through
// its own pool, answers meanwhile.
test.describe.configure({ mode: "serial", timeout: 180_000 });

let db: TestDatabase;
let app: AppProcess;

test.beforeAll(async () => {
  db = await createTestDatabase("catalog_bounds");
  await migrate(db.url);
  app = await startApp({ DATABASE_URL: db.url, CATALOG_POOL_SIZE: "1", CATALOG_STATEMENT_TIMEOUT_MS: "1000" });
  // The snapshot loads a few seconds after start.
  await expect
    .poll(async () => ((await (await fetch(`${app.baseUrl}/api/v1/catalog/search?q=file`)).json()) as { total?: number }).total ?? 0, {
      timeout: 60_000,
      intervals: [500],
    })
    .toBeGreaterThan(0);
});

test.afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

test("a catalog read past its time limit is stopped and answered 503, and the rest of the app answers meanwhile", async ({ page }) => {
  const locker = new pg.Client({ connectionString: db.url });
  await locker.connect();
  try {
    await locker.query("BEGIN");
    await locker.query("LOCK TABLE catalog_tool_search IN ACCESS EXCLUSIVE MODE");

    let catalogDone = false;
    const searches = Promise.all(
      [1, 2, 3].map(async (n) => {
        const response = await fetch(`${app.baseUrl}/api/v1/catalog/search?q=file${n}`);
        return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as { code: string; detail: string } };
      }),
    ).finally(() => (catalogDone = true));
    // The app's own pool is not the catalog's: health (which reads the database) answers while the searches wait.
    const health = await fetch(`${app.baseUrl}/api/health`);
    expect(health.status).toBe(200);
    expect(catalogDone).toBe(false);

    const answers = await searches;
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe("2");
      expect(["catalog_query_too_slow", "catalog_busy"]).toContain(answer.body.code);
    }
    expect(answers.some((a) => a.body.code === "catalog_query_too_slow")).toBe(true);
    expect(answers.find((a) => a.body.code === "catalog_query_too_slow")!.body.detail).toMatch(/^This search took longer than the catalog allows/);

    // The page says the same in words, with a way to try again.
    await page.goto(`${app.baseUrl}/catalog?q=memory`);
    await expect(page.getByRole("alert").filter({ hasText: "This search could not be answered just now" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Try again" })).toHaveAttribute("href", "/catalog?q=memory");

    await locker.query("ROLLBACK");
    // Once the table is free, the same search is answered.
    await page.getByRole("link", { name: "Try again" }).click();
    await expect(page.getByTestId("results")).toBeVisible();
    expect((await fetch(`${app.baseUrl}/api/v1/catalog/search?q=file`)).status).toBe(200);
  } finally {
    await locker.end();
  }
});
