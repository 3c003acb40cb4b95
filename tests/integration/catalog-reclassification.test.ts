import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCatalog } from "@/lib/catalog/ensure-catalog";
import { getCatalogTool } from "@/lib/catalog/get-catalog-tool";
import { loadSnapshot } from "@/lib/catalog/load-snapshot";
import { readSnapshot } from "@/lib/catalog/read-snapshot";
import { reclassifyCatalog } from "@/lib/catalog/reclassify-catalog";
import { migrate } from "@/lib/db/migrate";
import { classifierRelease, CLASSIFIER_VERSION } from "@/lib/risk/version";
import { FIXTURE_SNAPSHOT } from "../support/catalog-snapshot";
import { createTestDatabase, type TestDatabase } from "../test-database";

// A catalog tool whose level or category a new classifier moved keeps a record, shown on its page, made once however
// many instances start together, and kept when a snapshot load replaces the tool's row. A database of its own (see
// catalog-loader.test.ts).

const SERVER = "io.github.modelcontextprotocol/server-memory";
const OLDER = CLASSIFIER_VERSION - 1;

let db: TestDatabase;
let client: pg.Client;
/** The tool page's reads run side by side, as on the app's pool. */
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase("catalog_reclass");
  await migrate(db.url);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  await ensureCatalog(db.url, { dir: FIXTURE_SNAPSHOT });
});

afterAll(async () => {
  await client?.end();
  await pool?.end();
  await db?.drop();
});

interface Risk {
  name: string;
  level: string;
  category: string;
}

async function storedRisks(): Promise<Risk[]> {
  const { rows } = await client.query<Risk>(`SELECT name, level, category FROM catalog_tools WHERE server_name = $1 ORDER BY name`, [SERVER]);
  return rows;
}

/**
 * As if an older classifier had judged the server's tools: the first tool's level and category both differ, every
 * other one's level only, except the last, which it judged as now.
 */
async function makeStale(current: Risk[]): Promise<Map<string, { level: string; category: string }>> {
  const older = new Map<string, { level: string; category: string }>();
  current.forEach((tool, index) => {
    const last = index === current.length - 1;
    const level = last ? tool.level : tool.level === "low" ? "high" : "low";
    const category = index === 0 ? (tool.category === "write" ? "execute" : "write") : tool.category;
    older.set(tool.name, { level, category });
  });
  for (const [name, risk] of older) {
    await client.query(
      `UPDATE catalog_tools SET level = $3, category = $4, reasons = '["an older classifier said so"]', classifier_version = $5
        WHERE server_name = $1 AND name = $2`,
      [SERVER, name, risk.level, risk.category, OLDER],
    );
  }
  return older;
}

async function records() {
  const { rows } = await client.query<{
    tool_name: string;
    before_level: string;
    before_category: string;
    before_classifier_version: number;
    level: string;
    category: string;
    classifier_version: number;
  }>(
    `SELECT c.tool_name, c.before_level, c.before_category, c.before_classifier_version, c.level, c.category, c.classifier_version
       FROM catalog_tool_changes c JOIN catalog_servers s ON s.id = c.server_id
      WHERE s.name = $1 ORDER BY c.tool_name, c.changed_at`,
    [SERVER],
  );
  return rows;
}

describe("catalog reclassification records", () => {
  it("records each tool whose level or category moved, at the next start, and shows it on the tool's page", async () => {
    const current = await storedRisks();
    expect(current.length).toBeGreaterThan(2);
    const older = await makeStale(current);

    expect(await ensureCatalog(db.url, { dir: FIXTURE_SNAPSHOT })).toMatchObject({ reclassified: current.length });
    expect(await storedRisks()).toEqual(current);

    const moved = current.slice(0, -1);
    expect(await records()).toEqual(
      moved.map((tool) => ({
        tool_name: tool.name,
        before_level: older.get(tool.name)!.level,
        before_category: older.get(tool.name)!.category,
        before_classifier_version: OLDER,
        level: tool.level,
        category: tool.category,
        classifier_version: CLASSIFIER_VERSION,
      })),
    );

    const first = await getCatalogTool(pool, SERVER, current[0]!.name);
    expect(first.reclassification).toMatchObject({
      before: { ...older.get(current[0]!.name), classifierVersion: OLDER },
      after: { level: current[0]!.level, category: current[0]!.category, classifierVersion: CLASSIFIER_VERSION },
      classifierRelease: classifierRelease(CLASSIFIER_VERSION),
    });
    expect((await getCatalogTool(pool, SERVER, current.at(-1)!.name)).reclassification).toBeNull();

    // The next start finds nothing stale and records nothing.
    expect(await ensureCatalog(db.url, { dir: FIXTURE_SNAPSHOT })).toMatchObject({ reclassified: 0 });
    expect(await records()).toHaveLength(moved.length);
  });

  it("records once when instances reclassify together", async () => {
    const before = (await records()).length;
    const current = await storedRisks();
    await makeStale(current);
    const clients = await Promise.all(
      [1, 2, 3].map(async () => {
        const c = new pg.Client({ connectionString: db.url });
        await c.connect();
        return c;
      }),
    );
    try {
      const counts = await Promise.all(clients.map((c) => reclassifyCatalog(c)));
      expect(counts.sort()).toEqual([0, 0, current.length]);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    expect(await records()).toHaveLength(before + current.length - 1);
  });

  it("keeps the record through a snapshot load that lists the same definition, and drops it from the page when the level moves again", async () => {
    const { name, level, category } = (await storedRisks())[0]!;
    const snapshot = (await readSnapshot(FIXTURE_SNAPSHOT))!;
    expect(await loadSnapshot(client, snapshot, { force: true })).toMatchObject({ status: "loaded" });
    // The record the tests above made: from an older classifier's judgement to the current one.
    expect((await getCatalogTool(pool, SERVER, name)).reclassification).toMatchObject({
      before: { classifierVersion: OLDER },
      after: { level, category, classifierVersion: CLASSIFIER_VERSION },
      classifierRelease: classifierRelease(CLASSIFIER_VERSION),
    });

    await client.query(`UPDATE catalog_tools SET level = CASE WHEN level = 'low' THEN 'high' ELSE 'low' END WHERE server_name = $1 AND name = $2`, [SERVER, name]);
    expect((await getCatalogTool(pool, SERVER, name)).reclassification).toBeNull();
  });
});
