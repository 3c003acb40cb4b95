import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCatalog } from "@/lib/catalog/ensure-catalog";
import { hasStaleClassifications, reclassifyCatalog } from "@/lib/catalog/reclassify-catalog";
import { migrate } from "@/lib/db/migrate";
import { CLASSIFIER_VERSION } from "@/lib/risk/version";
import { classifyDefinitions } from "@/lib/servers/classify-definitions";
import { FIXTURE_SNAPSHOT, readEntry } from "../support/catalog-snapshot";
import { createTestDatabase, type TestDatabase } from "../test-database";

// Catalog tools are classified by the classifier registered servers use, with its reasons stored, and recomputed
// when CLASSIFIER_VERSION changes. A database of its own (see catalog-loader.test.ts).

let db: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase("catalog_classes");
  await migrate(db.url);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await ensureCatalog(db.url, { dir: FIXTURE_SNAPSHOT });
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

async function storedRisks(server: string) {
  const { rows } = await client.query<{ name: string; level: string; category: string; reasons: string[]; classifier_version: number }>(
    `SELECT name, level, category, reasons, classifier_version FROM catalog_tools WHERE server_name = $1 ORDER BY name`,
    [server],
  );
  return rows;
}

describe("classification at load", () => {
  it("stores what the registered servers' classifier says, with its reasons, for every tool", async () => {
    const file = readEntry(FIXTURE_SNAPSHOT, "io.github.modelcontextprotocol__server-filesystem.json");
    const tools = file._meta!["portcullis/listing"]!.tools as { name: string }[];
    const expected = classifyDefinitions(tools, {
      name: file.name,
      serverInfo: { title: "Filesystem", name: "secure-filesystem-server" },
      instructions: file.description as string,
    });
    const stored = await storedRisks(file.name);
    expect(stored).toHaveLength(14);
    for (const row of stored) {
      const risk = expected.get(row.name)!;
      expect({ name: row.name, level: row.level, category: row.category, reasons: row.reasons }).toEqual(risk);
      expect(row.classifier_version).toBe(CLASSIFIER_VERSION);
      expect(row.reasons.length).toBeGreaterThan(0);
    }
    // The writes are judged as writes, the reads as reads.
    expect(stored.find((r) => r.name === "write_file")).toMatchObject({ category: "write" });
    expect(stored.find((r) => r.name === "read_text_file")).toMatchObject({ category: "read", level: "low" });
  });

  it("ranks the dangerous tools of real servers high", async () => {
    const playwright = await storedRisks("com.microsoft/playwright-mcp");
    expect(playwright.find((r) => r.name === "browser_run_code_unsafe")).toMatchObject({ category: "execute" });
    expect(["high", "critical"]).toContain(playwright.find((r) => r.name === "browser_run_code_unsafe")!.level);
    const { rows } = await client.query(`SELECT max_level, categories FROM catalog_servers WHERE name = 'com.microsoft/playwright-mcp'`);
    expect(["high", "critical"]).toContain(rows[0].max_level);
    expect(rows[0].categories).toContain("execute");
  });
});

describe("a new classifier version", () => {
  it("recomputes the stored classifications at the next start, and only then", async () => {
    const before = await storedRisks("io.github.modelcontextprotocol/server-memory");
    // As if an older classifier had judged this server's tools differently.
    await client.query(
      `UPDATE catalog_tools SET level = 'low', category = 'read', reasons = '["an older classifier said so"]', classifier_version = $1
        WHERE server_name = 'io.github.modelcontextprotocol/server-memory'`,
      [CLASSIFIER_VERSION - 1],
    );
    await client.query(`UPDATE catalog_servers SET max_level = 'low' WHERE name = 'io.github.modelcontextprotocol/server-memory'`);
    expect(await hasStaleClassifications(client)).toBe(true);

    const start = await ensureCatalog(db.url, { dir: FIXTURE_SNAPSHOT });
    expect(start).toMatchObject({ snapshot: "unchanged", reclassified: 9 });
    expect(await storedRisks("io.github.modelcontextprotocol/server-memory")).toEqual(before);
    const { rows } = await client.query(`SELECT max_level FROM catalog_servers WHERE name = 'io.github.modelcontextprotocol/server-memory'`);
    expect(rows[0].max_level).not.toBe("low");
    const runs = await client.query(`SELECT counts FROM catalog_runs WHERE kind = 'reclassify'`);
    expect(runs.rows).toEqual([{ counts: { servers: 1, tools: 9 } }]);

    expect(await ensureCatalog(db.url, { dir: FIXTURE_SNAPSHOT })).toMatchObject({ reclassified: 0 });
  });

  it("reclassifies every tool when the version is bumped", async () => {
    const next = CLASSIFIER_VERSION + 1;
    expect(await hasStaleClassifications(client, next)).toBe(true);
    expect(await reclassifyCatalog(client, next)).toBe(61);
    expect(await hasStaleClassifications(client, next)).toBe(false);
    const { rows } = await client.query(`SELECT DISTINCT classifier_version FROM catalog_tools`);
    expect(rows).toEqual([{ classifier_version: next }]);
  });
});
