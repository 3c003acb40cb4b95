// Benchmarks the catalog at scale, in one run, on this machine. Usage:
//   npm run bench:catalog [-- --servers 50000 --seed 17 --queries 200 --keep]
// It creates a fresh database (a new database on DATABASE_URL's server, or an embedded PostgreSQL), applies the
// migrations and generates, from a fixed seed, a catalog shaped like the committed snapshot (catalog/servers): tools
// per server with median 4, p90 24, p99 86 and a few near 300 (exactly 10 per server on average, 500,000 tools for
// 50,000 servers, which moves the median and p99 a little off the 5 and 69), the real mix of first words,
// names repeated across servers, empty, short and very long descriptions, some non-Latin text, input schemas up to
// 12 KB. Each server is a snapshot file in the registry's format, loaded through the loader's own steps (parse and check, classify, upsert the servers, insert the tools,
// refresh the summaries, the search tables and the search words, ANALYZE and VACUUM the search tables), in batches so
// the generator's memory stays bounded.
// Then it calls the domain functions the pages call (search, search with two filters and its facets, a server's page,
// a tool's page), --queries times each, and prints p50/p95 against the goals of issue 17 and this process's memory
// before and after serving them. Beside the goal for search with facets it prints the floor under it on this machine:
// the time PostgreSQL takes only to count the rows matching the same texts through the search index (an exact count
// of the matches is what the total and the facets are, so no search that keeps them exact can be faster). It also
// times searching servers and browsing tools without text. The database is dropped at the end.
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { createTestDatabase } from "../tests/test-database";
import { migrate } from "../lib/db/migrate";
import { inCatalogTransaction } from "../lib/catalog/catalog-transaction";
import { classifyAll, upsertServers } from "../lib/catalog/load-snapshot";
import { insertCatalogTools } from "../lib/catalog/insert-catalog-tools";
import { parseSnapshot, snapshotFileName } from "../lib/catalog/parse-snapshot";
import { refreshServerSummaries } from "../lib/catalog/refresh-server-summaries";
import { rebuildCatalogWords } from "../lib/catalog/refresh-catalog-words";
import { rebuildCatalogSearch, vacuumCatalogSearch } from "../lib/catalog/refresh-catalog-search";
import { correctSearchTerms } from "../lib/catalog/correct-search-terms";
import { searchCatalog, type CatalogSearchInput } from "../lib/catalog/search-catalog";
import { getCatalogServer } from "../lib/catalog/get-catalog-server";
import { getCatalogTool } from "../lib/catalog/get-catalog-tool";
import { catalogPoolConfig } from "../lib/db/client";
import { canonicalJson } from "../lib/policy/canonical-json";

const { values: flags } = parseArgs({
  options: {
    servers: { type: "string", default: "50000" },
    seed: { type: "string", default: "17" },
    queries: { type: "string", default: "200" },
    /** Leaves the database (on DATABASE_URL's server) for EXPLAIN; drop it yourself. */
    keep: { type: "boolean", default: false },
    /** A database an earlier --keep run left: times the queries on it without loading (and leaves it). */
    reuse: { type: "string" },
  },
});
const SERVERS = Number(flags.servers);
const SEED = Number(flags.seed);
const QUERIES = Number(flags.queries);
/** Servers per loader batch: a few thousand tools, a few megabytes of files at a time. */
const BATCH = 500;
const PAGE_SIZE = 20;
const log = (line: string) => console.log(line);
const FLOOR = "  count of the same matches";

/** mulberry32: a small seeded generator, so the same seed gives the same catalog. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(SEED);
const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
function weighted<T>(entries: readonly (readonly [T, number])[]): () => T {
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  return () => {
    let r = rand() * total;
    for (const [value, w] of entries) if ((r -= w) < 0) return value;
    return entries.at(-1)![0];
  };
}
/** A standard normal draw (Box-Muller). */
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
/** Log-normal with this median and this p90 (z = 1.2816). */
const logNormal = (median: number, p90: number) => median * Math.exp((normal() * Math.log(p90 / median)) / 1.2816);

// First words of tool names, weighted as in the committed snapshot (get 228, list 134, create 120, update 80, ...).
const firstWord = weighted([
  ["get", 228], ["list", 134], ["create", 120], ["update", 80], ["delete", 66], ["search", 27], ["add", 30], ["generate", 30],
  ["read", 14], ["move", 10], ["run", 12], ["execute", 8], ["send", 10], ["fetch", 10], ["write", 8], ["query", 8], ["set", 8],
  ["remove", 8], ["upload", 5], ["download", 5], ["navigate", 5], ["click", 4], ["find", 6], ["describe", 5], ["start", 4],
  ["stop", 4], ["close", 3], ["open", 3], ["export", 3], ["import", 3], ["browser", 10], ["db", 8], ["git", 8], ["kubectl", 3],
] as const);
const NOUNS = [
  "file", "files", "directory", "issue", "issues", "pull_request", "comment", "repository", "branch", "commit", "user", "users",
  "project", "projects", "page", "pages", "database", "table", "row", "record", "document", "collection", "index", "query",
  "message", "channel", "email", "event", "calendar", "task", "tasks", "ticket", "invoice", "customer", "payment", "order",
  "product", "deployment", "cluster", "pod", "service", "secret", "volume", "bucket", "object", "snapshot", "screenshot",
  "element", "tab", "console", "network", "log", "logs", "metric", "alert", "dashboard", "report", "workflow", "run", "job",
  "pipeline", "artifact", "package", "version", "release", "tag", "label", "team", "member", "role", "permission", "token",
  "key", "webhook", "entity", "relation", "observation", "memory", "note", "notebook", "cell", "spreadsheet", "sheet",
  "image", "video", "map", "route", "place", "weather", "forecast", "stock", "price", "contact", "deal", "lead", "form",
  "survey", "story", "test", "run_details", "spec", "library_docs", "schema", "migration", "branch_protection", "domain",
  "dns_record", "certificate", "firewall", "droplet", "function", "trigger", "model", "completion", "embedding", "prompt",
];
const QUALIFIERS = ["by_id", "details", "info", "status", "content", "summary", "history", "settings", "list", "batch", "all"];
const WORDS = [
  "the", "a", "of", "to", "and", "for", "with", "in", "from", "by", "on", "this", "returns", "retrieves", "creates", "updates",
  "deletes", "lists", "searches", "specific", "given", "user", "project", "file", "path", "repository", "issue", "id", "name",
  "optional", "required", "filter", "results", "page", "limit", "cursor", "data", "content", "workspace", "account", "token",
  "access", "permission", "database", "query", "records", "documents", "browser", "element", "screenshot", "network", "request",
  "response", "message", "channel", "email", "calendar", "event", "payment", "customer", "invoice", "deployment", "cluster",
  "kubernetes", "container", "image", "secret", "environment", "variable", "configuration", "settings", "status", "details",
  "summary", "history", "version", "release", "branch", "commit", "pull", "merge", "comment", "label", "team", "member",
];
const NON_LATIN = [
  "获取指定仓库的文件内容并返回其文本。", "列出当前工作区中的所有项目。", "指定されたページのスクリーンショットを撮影します。",
  "データベースに対してクエリを実行します。", "Получить список задач проекта с фильтром по статусу.", "Удаляет файл по указанному пути.",
  "إرسال رسالة إلى القناة المحددة.", "지정된 저장소의 이슈 목록을 가져옵니다.", "Εμφανίζει τις λεπτομέρειες του χρήστη.",
];
const OWNERS = Array.from({ length: 4_000 }, (_, i) => `${pick(["acme", "open", "mcp", "data", "cloud", "dev", "ai", "team"])}${pick(["labs", "hq", "io", "works", "soft", "tools", ""])}${i}`);
const PRODUCTS = [
  "github", "gitlab", "slack", "notion", "postgres", "mysql", "mongodb", "redis", "stripe", "hubspot", "jira", "linear",
  "playwright", "puppeteer", "browser", "filesystem", "memory", "kubernetes", "docker", "aws", "gcp", "azure", "firecrawl",
  "context7", "maps", "weather", "calendar", "gmail", "sentry", "datadog", "grafana", "figma", "airtable", "sheets", "todoist",
  "shopify", "twilio", "sendgrid", "vercel", "netlify", "supabase", "firebase", "snowflake", "bigquery", "elastic", "search",
];

// Description words: half from a few function words, half from a vocabulary of about 2,000 (the words above and
// made-up ones), so a content word is in a few percent of descriptions at most, as in the real snapshot (where
// "issue" is in 4 % of tools and "payment" in 0.1 %), not in a third of them.
const FUNCTION_WORDS = ["the", "a", "of", "to", "and", "for", "with", "in", "from", "by", "on", "this", "is", "or", "an", "if"];
const SYLLABLES = ["ka", "lo", "mi", "ter", "zon", "pra", "vel", "dis", "qui", "ro", "nex", "sul", "bar", "tem", "ox", "lin"];
const CONTENT_WORDS = [
  ...WORDS.filter((w) => !FUNCTION_WORDS.includes(w)),
  ...NOUNS.flatMap((n) => n.split("_")),
  ...PRODUCTS,
  ...Array.from({ length: 1_800 }, () => Array.from({ length: int(2, 4) }, () => pick(SYLLABLES)).join("")),
];

function sentence(): string {
  const n = int(4, 18);
  const words = Array.from({ length: n }, () => (rand() < 0.5 ? pick(FUNCTION_WORDS) : pick(CONTENT_WORDS)));
  return words.join(" ").replace(/^./, (c) => c.toUpperCase()) + ".";
}
function text(length: number): string {
  let out = "";
  while (out.length < length) out += (out ? " " : "") + (rand() < 0.02 ? pick(NON_LATIN) : sentence());
  return out.slice(0, Math.max(length, 1));
}
/** Tool descriptions: 3 % empty, median about 100 characters, p90 about 600, a few in the thousands (up to 30,000). */
function toolDescription(): string {
  if (rand() < 0.03) return "";
  if (rand() < 0.001) return text(int(8_000, 30_000));
  return text(Math.min(20_000, Math.max(12, Math.round(logNormal(100, 600)))));
}

function toolName(prefix: string | null): string {
  const style = rand();
  const parts = [firstWord(), ...pick(NOUNS).split("_"), ...(rand() < 0.25 ? pick(QUALIFIERS).split("_") : [])];
  if (prefix) parts.unshift(prefix);
  if (style < 0.6) return parts.join("_");
  if (style < 0.85) return parts.join("-");
  return parts.map((p, i) => (i === 0 ? p : p[0]!.toUpperCase() + p.slice(1))).join("");
}

const ARGUMENTS = ["id", "name", "path", "query", "limit", "cursor", "page", "url", "content", "owner", "repo", "projectId", "userId", "format", "timeout"];

/** An input schema: median about 500 bytes, p90 about 2.5 KB, capped at 12 KB. */
function inputSchema(): Record<string, unknown> {
  const target = Math.min(12_000, Math.round(logNormal(500, 2_500)));
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  let size = 80;
  while (size < target) {
    const name = rand() < 0.5 ? pick(ARGUMENTS) : `${pick(CONTENT_WORDS)}${pick(["", "Id", "_id", "Name", "Path", "Query", "Limit", "Url"])}`;
    if (properties[name]) {
      size += 10;
      continue;
    }
    const kind = rand();
    const property =
      kind < 0.55
        ? { type: "string", description: text(int(15, 160)) }
        : kind < 0.7
          ? { type: "number", description: text(int(10, 80)), minimum: 0 }
          : kind < 0.8
            ? { type: "boolean", description: text(int(10, 60)) }
            : kind < 0.9
              ? { type: "string", enum: Array.from({ length: int(2, 12) }, () => pick(WORDS)).filter((v, i, a) => a.indexOf(v) === i) }
              : { type: "array", items: { type: "object", properties: { id: { type: "string" }, value: { type: "string", description: text(int(10, 80)) } } } };
    properties[name] = property;
    if (rand() < 0.4) required.push(name);
    size += JSON.stringify(property).length + name.length + 4;
  }
  if (JSON.stringify(properties).length > 12_000) delete properties[Object.keys(properties).at(-1)!];
  return { type: "object", properties, ...(required.length ? { required: required.filter((r) => r in properties) } : {}) };
}

/** Tools per server: log-normal with median 5 and p90 24 before the nudge below, clamped to 1..300. */
function toolCounts(servers: number): number[] {
  const counts = Array.from({ length: servers }, () => Math.min(300, Math.max(1, Math.round(logNormal(5, 24)))));
  // A few servers near 300, as the largest real ones (one per 5,000).
  for (let i = 0; i < Math.max(1, Math.floor(servers / 5_000)); i++) counts[int(0, servers - 1)] = int(280, 300);
  // Exactly 10 tools per server on average (500,000 for 50,000), nudged one tool at a time.
  let total = counts.reduce((a, b) => a + b, 0);
  const goal = servers * 10;
  while (total !== goal) {
    const i = int(0, servers - 1);
    if (total < goal && counts[i]! < 300) {
      counts[i]!++;
      total++;
    } else if (total > goal && counts[i]! > 1) {
      counts[i]!--;
      total--;
    }
  }
  return counts;
}

interface Sample {
  server: string;
  tool: string;
}

function serverFile(index: number, tools: number, samples: { servers: string[]; tools: Sample[] }): { file: string; content: Buffer; size: number } {
  // Most servers are of products seen once or twice; a third are of the well-known ones (github, slack, postgres...).
  const product = rand() < 0.35 ? pick(PRODUCTS) : pick(CONTENT_WORDS);
  const owner = pick(OWNERS);
  const npm = rand() < 0.7;
  const name = npm ? `com.npmjs.${owner}/${product}-mcp-${index}` : `io.github.${owner}/${product}-mcp-server-${index}`;
  const prefix = rand() < 0.2 ? product : null;
  const list: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < tools; i++) {
    let toolNameValue = toolName(prefix);
    while (seen.has(toolNameValue)) toolNameValue = `${toolName(prefix)}_${int(2, 99)}`;
    seen.add(toolNameValue);
    list.push({
      name: toolNameValue,
      ...(rand() < 0.1 ? { title: toolNameValue.replaceAll(/[_-]/g, " ") } : {}),
      description: toolDescription(),
      inputSchema: inputSchema(),
      ...(rand() < 0.3 ? { annotations: { readOnlyHint: rand() < 0.5, destructiveHint: rand() < 0.3 } } : {}),
    });
  }
  const registryType = weighted([["npm", 70], ["pypi", 20], ["oci", 10]] as const)();
  const remote = rand() < 0.15;
  const entry = {
    $schema: "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
    name,
    title: `${product[0]!.toUpperCase()}${product.slice(1)} ${pick(["MCP", "Server", "Tools", "Connector", "Bridge"])}`,
    description: rand() < 0.05 ? pick(NON_LATIN) : text(int(30, 300)),
    version: `${int(0, 5)}.${int(0, 30)}.${int(0, 20)}`,
    repository: { url: `https://github.com/${owner}/${product}-mcp`, source: "github" },
    packages: [{ registryType, identifier: `@${owner}/${product}-mcp`, version: "1.0.0", transport: { type: "stdio" } }],
    ...(remote ? { remotes: [{ type: "streamable-http", url: `https://${owner}.example.com/mcp` }] } : {}),
    _meta: {
      "portcullis/listing": {
        tools: list,
        toolsSha256: createHash("sha256").update(canonicalJson(list)).digest("hex"),
        listedAt: "2026-12-07T00:00:00.000Z",
        via: { transport: "stdio", package: `${registryType}:@${owner}/${product}-mcp@1.0.0`, node: "v20.20.2", isolation: "unshare -n" },
      },
    },
  };
  // Reservoir-like samples for the page queries: about one server in 100 and one tool in 1,000.
  if (rand() < 0.01) samples.servers.push(name);
  if (rand() < 0.001 * tools) samples.tools.push({ server: name, tool: pick([...seen]) });
  const content = Buffer.from(JSON.stringify(entry));
  return { file: snapshotFileName(name), content, size: content.length };
}

async function load(client: pg.Client): Promise<{ seconds: number; servers: number; tools: number; bytes: number; refused: number; samples: { servers: string[]; tools: Sample[] } }> {
  const counts = toolCounts(SERVERS);
  const samples = { servers: [] as string[], tools: [] as Sample[] };
  let bytes = 0;
  let servers = 0;
  let tools = 0;
  let refused = 0;
  let generating = 0;
  const t0 = performance.now();
  await inCatalogTransaction(client, async (sql) => {
    for (let start = 0; start < SERVERS; start += BATCH) {
      const g0 = performance.now();
      const files = counts.slice(start, start + BATCH).map((n, i) => serverFile(start + i, n, samples));
      generating += performance.now() - g0;
      bytes += files.reduce((sum, f) => sum + f.size, 0);
      const parsed = await parseSnapshot(files);
      refused += parsed.refused.length;
      const rows = await classifyAll(parsed.servers);
      await upsertServers(sql, parsed.servers);
      tools += await insertCatalogTools(sql, rows);
      servers += parsed.servers.length;
      if ((start / BATCH) % 10 === 9) process.stdout.write(`  loaded ${servers.toLocaleString("en")} servers, ${tools.toLocaleString("en")} tools (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
    }
    const r0 = performance.now();
    await refreshServerSummaries(sql, null);
    const s0 = performance.now();
    await rebuildCatalogSearch(sql);
    const w0 = performance.now();
    await rebuildCatalogWords(sql);
    log(
      `  summaries ${((s0 - r0) / 1000).toFixed(1)} s, search tables ${((w0 - s0) / 1000).toFixed(1)} s, ` +
        `search words ${((performance.now() - w0) / 1000).toFixed(1)} s`,
    );
  });
  const a0 = performance.now();
  await client.query("ANALYZE catalog_servers, catalog_tools, catalog_words");
  await vacuumCatalogSearch(client);
  log(`  analyze and vacuum ${((performance.now() - a0) / 1000).toFixed(1)} s`);
  const seconds = (performance.now() - t0 - generating) / 1000;
  log(`  generating the files took ${(generating / 1000).toFixed(1)} s more (not counted in the load time)`);
  return { seconds, servers, tools, bytes, refused, samples };
}

// What people type: product and action words, pairs of them, and misspellings (letters swapped, dropped, doubled).
const TERMS = [
  "github", "create issue", "read file", "delete", "send email", "postgres query", "browser screenshot", "kubernetes pod",
  "list projects", "search", "slack message", "stripe payment", "upload file", "notion page", "calendar event", "memory",
  "execute query", "deploy", "secret", "navigate", "get user", "firecrawl", "context7 library docs", "docker container",
  "githbu", "serch files", "screnshot", "databse", "kubernets", "slak mesage", "pyment", "calender", "delet file", "repositry",
  "獲取", "スクリーンショット", "задачи", "update record", "merge pull request", "weather forecast", "invoice customer",
];
// Texts in most of the catalog: every generated server's name has "mcp", "m" is read as a prefix of every word
// beginning with it, "get" starts a quarter of the names. The filters of the second row keep few of their matches.
const BROAD_TERMS = ["mcp", "m", "get", "s", "tool"];
const broadInput = (i: number, filters: boolean): CatalogSearchInput => ({
  type: "tools",
  q: BROAD_TERMS[i % BROAD_TERMS.length],
  limit: PAGE_SIZE,
  ...(filters ? { level: [pick(["high", "critical"] as const)], category: [pick(["write", "financial", "access_control"] as const)] } : {}),
});
const searchInput = (i: number, filters: boolean): CatalogSearchInput => ({
  type: "tools",
  q: TERMS[i % TERMS.length],
  limit: PAGE_SIZE,
  ...(filters ? { level: [pick(["high", "critical", "medium"] as const), "critical"], transport: [pick(["stdio", "streamable-http"])] } : {}),
});

/**
 * Pages to time on a reused database: the same share of servers and tools as a load samples, chosen by hash. Read
 * through a connection of its own: choosing reads every tool, past what the catalog's pool lets a statement take.
 */
async function sampleOf(url: string): Promise<{ servers: string[]; tools: Sample[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: servers } = await client.query<{ name: string }>(`SELECT name FROM catalog_servers ORDER BY md5(name) LIMIT 500`);
    const { rows: tools } = await client.query<{ server: string; tool: string }>(
      `SELECT server_name AS server, name AS tool FROM catalog_tools ORDER BY md5(server_name || '/' || name) LIMIT 500`,
    );
    return { servers: servers.map((r) => r.name), tools };
  } finally {
    await client.end();
  }
}

async function time(label: string, n: number, run: (i: number) => Promise<unknown>): Promise<{ label: string; p50: number; p95: number; max: number }> {
  for (let i = 0; i < 5; i++) await run(i); // warm the pool's connections and the plans
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run(i);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!;
  return { label, p50: at(0.5), p95: at(0.95), max: ms.at(-1)! };
}

async function main(): Promise<void> {
  log(`bench:catalog: ${SERVERS.toLocaleString("en")} servers, seed ${SEED}, ${QUERIES} queries each`);
  const database = flags.reuse ? { url: flags.reuse, drop: async () => {} } : await createTestDatabase("bench_catalog");
  // Opened as the app opens the public catalog's connections (its statement time limit and planner settings).
  const pool = new pg.Pool(catalogPoolConfig(database.url));
  try {
    await migrate(database.url);
    let loaded: Awaited<ReturnType<typeof load>> | null = null;
    if (!flags.reuse) {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      log("loading...");
      loaded = await load(client).finally(() => client.end());
    }
    const { rows: sizes } = await pool.query<{ size: string; tools: number }>(
      `SELECT pg_size_pretty(pg_database_size(current_database())) AS size, (SELECT count(*)::int FROM catalog_tools) AS tools`,
    );
    log(
      loaded
        ? `loaded ${loaded.servers.toLocaleString("en")} servers and ${loaded.tools.toLocaleString("en")} tools ` +
            `(${(loaded.bytes / 1024 / 1024).toFixed(0)} MB of files, ${loaded.refused} refused) in ${loaded.seconds.toFixed(1)} s; database ${sizes[0]!.size}`
        : `reusing ${sizes[0]!.tools.toLocaleString("en")} tools (database ${sizes[0]!.size}), not loaded in this run`,
    );

    const { servers, tools } = loaded?.samples ?? (await sampleOf(database.url));
    const mb = () => process.memoryUsage().rss / 1024 / 1024;
    global.gc?.();
    const rssBefore = mb();
    const results = [
      await time("search (tools, text)", QUERIES, (i) => searchCatalog(pool, searchInput(i, false))),
      await time("search + 2 filters + facets", QUERIES, (i) => searchCatalog(pool, searchInput(i, true))),
      await time("server page (getCatalogServer)", QUERIES, (i) => getCatalogServer(pool, servers[i % servers.length]!)),
      await time("tool page (getCatalogTool)", QUERIES, (i) => getCatalogTool(pool, tools[i % tools.length]!.server, tools[i % tools.length]!.tool)),
    ];
    // The floor under search with facets: counting the rows the same texts match, nothing else (the corrected query
    // of each text is made first, untimed). Every match is visited: PostgreSQL reads a row to count it.
    const queries = await Promise.all(TERMS.map(async (term) => (await correctSearchTerms(pool, term)).tsquery));
    const floor = await time(FLOOR, QUERIES, (i) =>
      pool.query("SELECT count(*) FROM catalog_tool_search WHERE search_vector @@ $1::tsquery", [queries[i % queries.length] ?? ""]),
    );
    const others = [
      await time("broad search (text in most tools)", QUERIES, (i) => searchCatalog(pool, broadInput(i, false))),
      await time("broad search + 2 narrow filters", QUERIES, (i) => searchCatalog(pool, broadInput(i, true))),
      await time("search (servers, text)", QUERIES, (i) => searchCatalog(pool, { ...searchInput(i, false), type: "servers" })),
      await time("browse tools, no text, 2 filters", QUERIES, (i) => searchCatalog(pool, { ...searchInput(i, true), q: undefined, page: 1 + (i % 5) })),
    ];
    global.gc?.();
    const rssAfter = mb();
    // A second round of the same, to see whether memory keeps growing or stays flat.
    for (let i = 0; i < QUERIES; i++) {
      await searchCatalog(pool, searchInput(i, true));
      await getCatalogTool(pool, tools[i % tools.length]!.server, tools[i % tools.length]!.tool);
    }
    global.gc?.();
    const rssAgain = mb();

    const goals: Record<string, number> = { "search + 2 filters + facets": 50, "tool page (getCatalogTool)": 30 };
    log("");
    log(`${"".padEnd(32)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"max ms".padStart(9)}  goal (p95)`);
    if (loaded) log(`${"load (parse, classify, insert, refresh, analyze)".padEnd(50)} ${loaded.seconds.toFixed(1)} s`);
    const line = (r: { label: string; p50: number; p95: number; max: number }, note: string) =>
      log(`${r.label.padEnd(32)}${r.p50.toFixed(1).padStart(9)}${r.p95.toFixed(1).padStart(9)}${r.max.toFixed(1).padStart(9)}  ${note}`);
    for (const r of results) {
      const goal = goals[r.label];
      line(r, goal === undefined ? "" : `<= ${goal} ms ${r.p95 <= goal ? "met" : "MISSED"}`);
      if (r.label === "search + 2 filters + facets") line(floor, "floor: count(*) of the matches alone");
    }
    for (const r of others) line(r, "");
    log(`memory (RSS of this process): ${rssBefore.toFixed(0)} MB before serving, ${rssAfter.toFixed(0)} MB after ${QUERIES * 4} calls, ${rssAgain.toFixed(0)} MB after ${QUERIES * 2} more${global.gc ? "" : " (run with --expose-gc for steadier figures)"}`);
  } finally {
    await pool.end();
    if ((flags.keep || flags.reuse) && process.env.DATABASE_URL) log(`kept the database: ${database.url}`);
    else await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
