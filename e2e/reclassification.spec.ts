import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { describeReclassification, summarizeRule } from "../components/tools/reclassification-words";
import { recommendRule } from "../lib/risk";
import { CLASSIFIER_VERSION } from "../lib/risk/version";
import type { RiskCategory, RiskLevel } from "../lib/risk/types";
import { createTestDatabase } from "../tests/test-database";
import { signUpInBrowser } from "./support/accounts";
import { startApp, type AppProcess } from "./support/app-process";
import { startServerEverything } from "./support/server-everything";

// A classifier change seen by a person: a registered server's tool judged by an older classifier is recomputed when
// the app starts again, and its page says what moved, that the recommended rule moved with it, and that no policy
// was changed; the rubric behind the levels is one link away.
test.describe.configure({ timeout: 240_000 });

async function registerServer(page: Page, name: string, url: string): Promise<string> {
  await page.goto("/servers/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("URL").fill(url);
  await page.getByRole("button", { name: "Register server" }).click();
  await expect(page).toHaveURL(/\/servers\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  return page.url().split("/").pop()!;
}

test("a reclassified tool's page shows the record and the recommendation that changed; /risk-levels shows the rubric", async ({ browser }) => {
  const database = await createTestDatabase("e2e_reclassify");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "portcullis-reclassify-"));
  const env = { DATABASE_URL: database.url, PORTCULLIS_DATA_DIR: dataDir, PORTCULLIS_UPSTREAM_NETWORKS: "loopback", NEXTAUTH_SECRET: randomBytes(32).toString("base64url") };
  const upstream = await startServerEverything("streamableHttp");
  const db = new pg.Client({ connectionString: database.url });
  let app: AppProcess | undefined = await startApp(env);
  try {
    await db.connect();
    // The restarted app listens on another port; the session cookie, set for the host, still applies there.
    const context = await browser.newContext({ baseURL: app.baseUrl });
    const page = await context.newPage();
    const at = (pathname: string) => `${app!.baseUrl}${pathname}`;
    await signUpInBrowser(page);
    const serverId = await registerServer(page, "everything", upstream.url);

    // As an older classifier might have judged echo: another level and category, recorded with the version before.
    const { rows } = await db.query<{ id: string; level: RiskLevel; category: RiskCategory }>(
      `SELECT id, level, category FROM tools WHERE server_id = $1 AND name = 'echo'`,
      [serverId],
    );
    const current = rows[0]!;
    const older = current.level === "high" && current.category === "execute" ? { level: "low", category: "read" } as const : { level: "high", category: "execute" } as const;
    await app.stop();
    app = undefined;
    await db.query(`UPDATE tools SET level = $2, category = $3, reasons = '["an older classifier said so"]', classifier_version = $4 WHERE id = $1`, [
      current.id,
      older.level,
      older.category,
      CLASSIFIER_VERSION - 1,
    ]);

    // The next start recomputes it in the background, once it listens.
    app = await startApp(env);
    await expect
      .poll(async () => (await db.query(`SELECT classifier_version FROM tools WHERE id = $1`, [current.id])).rows[0].classifier_version, { timeout: 30_000 })
      .toBe(CLASSIFIER_VERSION);

    const before = { ...older, classifierVersion: CLASSIFIER_VERSION - 1 };
    const after = { level: current.level, category: current.category, classifierVersion: CLASSIFIER_VERSION };
    await page.goto(at(`/tools/${current.id}`));
    await expect(page.getByRole("heading", { name: "echo", level: 1 })).toBeVisible();
    await expect(page.getByTestId("reclassification")).toContainText(describeReclassification(before, after));
    const was = summarizeRule(recommendRule({ name: "echo", ...before }) as Record<string, unknown>);
    const now = summarizeRule(recommendRule({ name: "echo", ...after }) as Record<string, unknown>);
    expect(was).not.toBe(now);
    await expect(page.getByTestId("recommendation-changed")).toHaveText(
      `The recommended rule changed with the new level: was ${was}, now ${now}. Your policy was not changed.`,
    );

    // The server's change history lists it in words, with nothing to accept.
    await page.goto(at(`/servers/${serverId}`));
    const item = page.getByTestId("change-item").filter({ hasText: "Reclassified" });
    await expect(item).toHaveCount(1);
    await expect(item).toContainText(describeReclassification(before, after));
    await expect(item.getByRole("button")).toHaveCount(0);

    // "How levels work" beside the badge leads to the rubric, rendered from docs/risk-levels.md.
    await page.goto(at(`/tools/${current.id}`));
    await page.getByRole("link", { name: "How levels work" }).click();
    await expect(page).toHaveURL(/\/risk-levels$/);
    await expect(page.getByRole("heading", { name: "How risk levels work", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "When levels change", level: 2 })).toBeVisible();
    const table = page.getByRole("table");
    await expect(table.getByRole("columnheader")).toHaveText(["Level", "What it means", "Examples"]);
    await expect(table.getByRole("row")).toHaveCount(5);
    await expect(table.getByRole("row").nth(4).getByRole("cell").first()).toHaveText("Critical");
    await expect(table.locator("strong").first()).toHaveText("Low");
    await context.close();
  } finally {
    await app?.stop();
    await db.end().catch(() => {});
    await upstream.stop();
    await database.drop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
});
