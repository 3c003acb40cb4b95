import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inCatalogTransaction } from "@/lib/catalog/catalog-transaction";
import { ensureCatalog } from "@/lib/catalog/ensure-catalog";
import { getCatalogTool } from "@/lib/catalog/get-catalog-tool";
import { readRegistryEntry } from "@/lib/catalog/read-registry-entry";
import { broadPageByWalking, RELEVANCE_CANDIDATES, searchCatalog, type CatalogSearchInput, type CatalogToolHit } from "@/lib/catalog/search-catalog";
import { sitemapPartEntries, sitemapParts } from "@/lib/catalog/sitemap";
import { storeRegistryEntries } from "@/lib/catalog/store-registry-entries";
import { migrate } from "@/lib/db/migrate";
import { NAMESPACE_MIGRATION, OLD_SERVER_WORDS, OLD_TOOL_WORDS } from "../support/catalog-old-words";
import { serverDocument, writeEntry } from "../support/catalog-snapshot";
import { createTestDatabase, type TestDatabase } from "../test-database";

// Search over the search tables (refresh-catalog-search.ts) on a database of its own: counts that stay exact as the
// catalog changes (a registry deleting a server, a server removed), relevance past the matches it ranks one by one,
// the tables built at start for a database migrated before them, similar tools found through the close names, and
// search words that leave out where a server is published (its name's namespace), also in a database migrated from
// before.

let db: TestDatabase;
let client: pg.Client;
let pool: pg.Pool;
let dir: string;

const tool = (name: string, description: string) => ({ name, description, inputSchema: { type: "object", properties: { id: { type: "string" } } } });

beforeAll(async () => {
  db = await createTestDatabase("catalog_search");
  await migrate(db.url);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  dir = mkdtempSync(path.join(os.tmpdir(), "portcullis-catalog-search-"));
  // More tools with "sync" in their name than relevance ranks one by one, one tool named just that (last by name),
  // and tools that only say it in their description.
  for (let s = 0; s < 3; s++) {
    const tools = Array.from({ length: 90 }, (_, k) => tool(`bulk_sync_${s}_${k}`, k % 3 === 0 ? "Sync the sync queue." : "Moves records."));
    if (s === 0) tools.push(...Array.from({ length: 30 }, (_, k) => tool(`other_${k}`, "Keeps the cache in sync.")));
    writeEntry(dir, `io.github.test__bulk-${s}.json`, serverDocument(`io.github.test/bulk-${s}`, tools));
  }
  writeEntry(dir, "io.github.test__zeta.json", serverDocument("io.github.test/zeta", [tool("sync", "Runs it.")]));
  // Names close to read_file: read_files (similarity 0.75), load_file (0.43, under the first thresholds tried) and
  // fetch_file_list (0.25, not close enough).
  writeEntry(dir, "io.github.test__files-a.json", serverDocument("io.github.test/files-a", [tool("read_file", "Reads a file.")]));
  writeEntry(
    dir,
    "io.github.test__files-b.json",
    serverDocument("io.github.test/files-b", [tool("read_files", "Reads files."), tool("load_file", "Loads."), tool("fetch_file_list", "Lists.")]),
  );
  // A name without trigrams (punctuation only): trigram similarity cannot find its namesakes on other servers.
  writeEntry(dir, "io.github.test__marks-a.json", serverDocument("io.github.test/marks-a", [tool("--", "Dashes.")]));
  writeEntry(dir, "io.github.test__marks-b.json", serverDocument("io.github.test/marks-b", [tool("--", "Dashes too.")]));
  // What "github" should find: a tool of GitHub's own server, and a tool whose description says GitHub; not the tools
  // of every io.github.* server (all of the above), nor a server whose repository is on github.com.
  writeEntry(
    dir,
    "io.github.github__github-mcp-server.json",
    serverDocument("io.github.github/github-mcp-server", [tool("create_issue", "Opens an issue in a repository.")], { title: "GitHub", description: "Its own server." }),
  );
  writeEntry(dir, "com.example__gists.json", serverDocument("com.example/gists", [tool("list_gists", "Lists the gists of a GitHub user.")], { description: "Your gists." }));
  writeEntry(
    dir,
    "io.github.someone__weather.json",
    serverDocument("io.github.someone/weather", [tool("get_forecast", "Tells the forecast of a city.")], {
      description: "Forecasts.",
      repository: { url: "https://github.com/someone/weather-mcp", source: "github" },
    }),
  );
  expect((await ensureCatalog(db.url, { dir })).snapshot).toBe("loaded");
});

afterAll(async () => {
  await client?.end();
  await pool?.end();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const search = (input: Partial<CatalogSearchInput>) => searchCatalog(pool, { type: "tools", limit: 20, ...input });
const names = (results: unknown[]) => (results as CatalogToolHit[]).map((r) => `${r.server.name} ${r.name}`);

async function countTools(where: string): Promise<number> {
  const { rows } = await client.query(`SELECT count(*)::int AS n FROM catalog_tools WHERE ${where}`);
  return rows[0].n;
}

describe("relevance past the ranked candidates", () => {
  it("puts the exact name first, names having the word next, then descriptions, through every page", async () => {
    const all = 3 * 90 + 30 + 1;
    expect(3 * 90 + 1).toBeGreaterThan(RELEVANCE_CANDIDATES);
    const first = await search({ q: "sync", limit: 100 });
    expect(first.total).toBe(all);
    expect(first.results[0]).toMatchObject({ name: "sync", server: { name: "io.github.test/zeta" } });

    const byCursor: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await search({ q: "sync", limit: 100, cursor });
      byCursor.push(...names(page.results));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const byPage: string[] = [];
    for (let page = 1; page <= 4; page++) byPage.push(...names((await search({ q: "sync", limit: 100, page })).results));
    expect(byCursor).toHaveLength(all);
    expect(new Set(byCursor).size).toBe(all);
    expect(byPage).toEqual(byCursor);
    const lastNameMatch = byCursor.findLastIndex((n) => / (bulk_)?sync/.test(n));
    const firstDescriptionMatch = byCursor.findIndex((n) => / other_/.test(n));
    expect(lastNameMatch).toBeLessThan(firstDescriptionMatch);
  });

  it("counts facets over every match, not just the ranked ones", async () => {
    const { total, facets } = await search({ q: "sync", limit: 1 });
    expect(Object.values(facets.level).reduce((a, b) => a + b, 0)).toBe(total);
    expect(facets.transport).toEqual({ stdio: total });
  });
});

describe("a search too broad to count whole", () => {
  // 301 tools match "sync"; read at most 100 of them, the search is broad. What it gives must be what an exact search
  // in the same order gives, page after page, whichever way the page is found (walking an order's index when the
  // matches fill a page soon, or sorting the matches in the allowed sets).
  const BROAD_AT = 100;
  const broad = (input: Partial<CatalogSearchInput>) => searchCatalog(pool, { type: "tools", limit: 20, ...input }, { broadAt: BROAD_AT });
  const everyPage = async (input: Partial<CatalogSearchInput>, read: typeof search) => {
    const found: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await read({ ...input, cursor });
      found.push(...names(page.results));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return found;
  };

  it("counts only what it read, says so, and lists every match by name instead of relevance", async () => {
    const exact = await search({ q: "sync", sort: "name", limit: 100 });
    expect(exact).toMatchObject({ total: 301, countsAreLowerBounds: false });
    const first = await broad({ q: "sync" });
    expect(first).toMatchObject({ sort: "relevance", countsAreLowerBounds: true, total: BROAD_AT + 1 });
    expect(Object.values(first.facets.level).reduce((a, b) => a + b, 0)).toBe(first.total);
    const byName = await everyPage({ q: "sync", sort: "name", limit: 100 }, search);
    expect(byName).toHaveLength(301);
    // Pages of 2 walk the name index (a page is soon full); pages of 100 sort the matches: the same order either way.
    expect(await everyPage({ q: "sync", limit: 2 }, broad)).toEqual(byName);
    expect(await everyPage({ q: "sync", limit: 100 }, broad)).toEqual(byName);
    const byNumber: string[] = [];
    for (let page = 1; page <= 4; page++) byNumber.push(...names((await broad({ q: "sync", limit: 100, page })).results));
    expect(byNumber).toEqual(byName);
  });

  it("gives the pages of an exact search for a filter that keeps few of its matches, and for another order", async () => {
    const { facets } = await search({ q: "sync" });
    const levels = Object.entries(facets.level).filter(([, n]) => n > 0);
    expect(levels.length).toBeGreaterThan(1);
    for (const [level] of levels) {
      const input = { q: "sync", level: [level as CatalogToolHit["level"]], limit: 7 };
      expect(await everyPage(input, broad)).toEqual(await everyPage({ ...input, sort: "name" }, search));
    }
    const risk = { q: "sync", sort: "risk" as const, limit: 50 };
    const byRisk = await everyPage(risk, search);
    expect(byRisk).toHaveLength(301);
    expect(await everyPage(risk, broad)).toEqual(byRisk);
  });

  it("stays exact and ranked under the bound", async () => {
    const result = await broad({ q: "read file" });
    expect(result.countsAreLowerBounds).toBe(false);
    expect(result.results[0]).toMatchObject({ name: "read_file" });
    expect(result.total).toBe((await search({ q: "read file" })).total);
  });
});

describe("choosing how a broad search's page is read", () => {
  const page = (offset: number, limit: number) => ({ keys: [], after: null, limit, offset, allowed: [], broadAt: 50_000 });
  it("walks an order's index when the matches in the allowed sets fill a page soon, and sorts them when they are few", () => {
    // 500,000 tools; of the first 50,001 matches read, all allowed: a page of 20 is found within ~210 rows.
    expect(broadPageByWalking(page(0, 20), 500_000, 50_001, 50_001)).toBe(true);
    // A filter kept 12 of them: walking would read ~875,000 rows; the allowed matches are about 120.
    expect(broadPageByWalking(page(0, 20), 500_000, 12, 50_001)).toBe(false);
    // None read were allowed: nothing says a walk would ever fill the page.
    expect(broadPageByWalking(page(0, 20), 500_000, 0, 50_001)).toBe(false);
    // A page 40,000 matches in: walking there (~400,000 rows, each unpacked) costs more than sorting 500,000 matches.
    expect(broadPageByWalking(page(40_000, 20), 500_000, 50_001, 50_001)).toBe(false);
  });
});

describe("counts that follow the catalog", () => {
  it("answers a search without text with the catalog's own counts", async () => {
    const all = await search({});
    expect(all.total).toBe(await countTools("true"));
    const high = await search({ level: ["high", "critical"] });
    expect(high.total).toBe(await countTools("level IN ('high', 'critical')"));
    expect(high.results.every((r) => ["high", "critical"].includes((r as CatalogToolHit).level))).toBe(true);
  });

  it("leaves out the tools of a server a registry deleted, and of a server removed", async () => {
    const before = await search({ q: "sync" });
    const document = serverDocument("io.github.test/bulk-1", []);
    delete document._meta;
    const read = readRegistryEntry({ server: document, _meta: { "io.modelcontextprotocol.registry/official": { status: "deleted" } } });
    if (!read.ok) throw new Error(read.reason);
    await inCatalogTransaction(client, (sql) => storeRegistryEntries(sql, "http://127.0.0.1:9/registry", [read.entry]));
    const after = await search({ q: "sync" });
    expect(after.total).toBe(before.total - 90);
    expect(names(after.results).some((n) => n.startsWith("io.github.test/bulk-1 "))).toBe(false);
    expect((await search({})).total).toBe(await countTools("server_status <> 'deleted'"));
    expect((await searchCatalog(pool, { type: "servers", limit: 20, q: "bulk" })).total).toBe(2);

    await client.query("DELETE FROM catalog_servers WHERE name = 'io.github.test/bulk-2'");
    expect((await search({ q: "sync" })).total).toBe(before.total - 180);
    expect((await search({})).total).toBe(await countTools("server_status <> 'deleted'"));
  });
});

describe("a database migrated before the search tables", () => {
  it("gets them built at the next start", async () => {
    await client.query("DELETE FROM catalog_tool_search; DELETE FROM catalog_server_search");
    expect((await search({ q: "read file" })).total).toBe(0);
    const start = await ensureCatalog(db.url, { dir });
    expect(start.snapshot).toBe("unchanged");
    expect((await search({ q: "read file" })).results[0]).toMatchObject({ name: "read_file" });
    expect((await search({})).total).toBe(await countTools("server_status <> 'deleted'"));
  });
});

describe("similar tools", () => {
  it("finds close names down to pg_trgm's threshold, and leaves the session's threshold as it was", async () => {
    // One session for both, to read the threshold where the search ran.
    const session = await pool.connect();
    try {
      const { similarTools } = await getCatalogTool(session, "io.github.test/files-a", "read_file");
      expect(similarTools.map((t) => t.name)).toEqual(["read_files", "load_file"]);
      const { rows } = await session.query(
        "SELECT show_limit() AS limit, similarity('read_file', 'load_file') AS far, similarity('read_file', 'fetch_file_list') AS too_far",
      );
      expect(rows[0].limit).toBeCloseTo(0.3);
      expect(rows[0]).toMatchObject({ far: expect.closeTo(0.43, 2), too_far: expect.closeTo(0.25, 2) });
    } finally {
      session.release();
    }
  });
});

describe("similar tools of a name without trigrams", () => {
  it("lists the tools of the same name on other servers", async () => {
    const { similarTools } = await getCatalogTool(pool, "io.github.test/marks-a", "--");
    expect(similarTools).toEqual([expect.objectContaining({ name: "--", sameName: true, server: expect.objectContaining({ name: "io.github.test/marks-b" }) })]);
  });
});

describe("sitemap parts whose servers were deleted", () => {
  it("answers every part the index lists, empty where nothing is left, and no part past the end", async () => {
    const session = await pool.connect();
    try {
      // Inside a transaction rolled back at the end: the other tests' catalog stays as it was.
      await session.query("BEGIN");
      const partSize = 50;
      // The bulk servers' facet sets as a deletion leaves them: their tools keep their places in the server order.
      await session.query(
        `UPDATE catalog_facet_sets SET deleted = true WHERE id IN (
           SELECT x.facet_set FROM catalog_tool_search x JOIN catalog_tools t ON t.id = x.tool_id WHERE t.server_name LIKE 'io.github.test/bulk-%')`,
      );
      const parts = (await sitemapParts(session, { partSize })).filter((part) => part.kind === "tools");
      expect(parts.length).toBeGreaterThan(2);
      const sizes: number[] = [];
      for (const part of parts) {
        const entries = await sitemapPartEntries(session, part, { partSize });
        expect(entries, `tools-${part.index}.xml`).not.toBeNull();
        sizes.push(entries!.length);
      }
      // Some listed part holds only deleted servers' tools now, and some still lists pages.
      expect(sizes).toContain(0);
      expect(sizes.some((n) => n > 0)).toBe(true);
      expect(await sitemapPartEntries(session, { kind: "tools", index: parts.length }, { partSize })).toBeNull();
    } finally {
      await session.query("ROLLBACK");
      session.release();
    }
  });
});

describe("search words without the namespace of a server's name", () => {
  const servers = async (q: string) => searchCatalog(pool, { type: "servers", limit: 20, q });

  it("ranks the tools of the server the words name before tools that only mention them", async () => {
    // list_gists says GitHub in its description (weight B); create_issue only has it in its server's name (D).
    expect(names((await search({ q: "github" })).results)).toEqual(["io.github.github/github-mcp-server create_issue", "com.example/gists list_gists"]);
  });

  it("finds what is about GitHub by github, not every tool of an io.github.* server", async () => {
    const tools = await search({ q: "github" });
    expect(names(tools.results).sort()).toEqual(["com.example/gists list_gists", "io.github.github/github-mcp-server create_issue"]);
    expect(tools.total).toBe(2);
    const found = await servers("github");
    expect(found.results.map((r) => r.name)).toEqual(["io.github.github/github-mcp-server"]);
    expect(found.total).toBe(1);
  });

  it("keeps a server's short name in its tools' words, and its repository's owner in its own", async () => {
    expect(names((await search({ q: "weather" })).results)).toEqual(["io.github.someone/weather get_forecast"]);
    // Who makes a server says something about the server, not about what each of its tools does.
    expect((await servers("someone")).results.map((r) => r.name)).toEqual(["io.github.someone/weather"]);
    expect((await search({ q: "someone" })).total).toBe(0);
  });

  it("recomputes the words of a database loaded before the change, search rows and corrections included", async () => {
    const snapshot = async () => ({
      github: names((await search({ q: "github", limit: 100 })).results).sort(),
      githubServers: (await servers("github")).results.map((r) => r.name),
      misspelt: (await search({ q: "githbu" })).corrections,
      words: (await client.query("SELECT array_agg(word ORDER BY word) AS words FROM catalog_words")).rows[0].words,
    });
    const now = await snapshot();
    // The words as the loader wrote them before the migration (namespace included), in every table that holds them.
    await client.query(`UPDATE catalog_tools t SET search_vector = ${OLD_TOOL_WORDS} FROM catalog_servers s WHERE s.id = t.server_id`);
    await client.query(
      `UPDATE catalog_servers s SET search_vector = ${OLD_SERVER_WORDS}
         FROM (SELECT s2.id, string_agg(t.name, ' ') AS tool_names FROM catalog_servers s2 LEFT JOIN catalog_tools t ON t.server_id = s2.id GROUP BY s2.id) t
        WHERE t.id = s.id`,
    );
    await client.query("UPDATE catalog_tool_search x SET search_vector = strip(t.search_vector) FROM catalog_tools t WHERE t.id = x.tool_id");
    await client.query("UPDATE catalog_server_search x SET search_vector = strip(s.search_vector) FROM catalog_servers s WHERE s.id = x.server_id");
    // "test", of the namespace io.github.test, was a word misspellings were corrected to.
    expect(now.words).not.toContain("test");
    await client.query("INSERT INTO catalog_words (word) VALUES ('test')");
    expect((await search({ q: "github" })).total).toBe(await countTools("(server_name LIKE 'io.github.%' OR description ILIKE '%github%') AND server_status <> 'deleted'"));
    // The migration not applied yet: its functions gone, its row too.
    await client.query(`DELETE FROM _prisma_migrations WHERE migration_name = $1`, [NAMESPACE_MIGRATION]);
    await client.query(`DROP FUNCTION catalog_tool_search_vector, catalog_server_search_vector, catalog_server_name_words, catalog_repository_words`);

    expect((await migrate(db.url)).applied).toEqual([NAMESPACE_MIGRATION]);
    expect(await snapshot()).toEqual(now);
  });
});
