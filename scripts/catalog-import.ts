// Imports the servers of a registry that serves the official MCP Registry's API (GET /v0.1/servers) into the catalog.
// Usage:
//   npm run catalog:import -- --registry <url> [--incremental | --updated-since <RFC 3339 time>] [--search <text>]
//                             [--limit 100] [--page-timeout-ms 30000] [--networks public|loopback|private|any]
// The database is DATABASE_URL's, or the embedded one (started, or joined when the app runs). Imported servers have
// no tools ("tools not listed yet") until the crawler lists them; a listing it made is never overwritten.
// Exit status: 0 when every page was imported, 1 when the import stopped (what came before is kept), 2 for bad options.
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { importRegistry } from "../lib/catalog/import-registry";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { UPSTREAM_NETWORKS, type UpstreamNetworks } from "../lib/upstream/address-policy";

const USAGE =
  "Usage: npm run catalog:import -- --registry <url> [--incremental | --updated-since <time>] [--search <text>] [--limit N] [--page-timeout-ms N] [--networks public|loopback|private|any]";

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function options() {
  let values;
  try {
    values = parseArgs({
      options: {
        registry: { type: "string" },
        incremental: { type: "boolean", default: false },
        "updated-since": { type: "string" },
        search: { type: "string" },
        limit: { type: "string", default: "100" },
        "page-timeout-ms": { type: "string", default: "30000" },
        networks: { type: "string" },
      },
    }).values;
  } catch (error) {
    usage((error as Error).message);
  }
  const registry = values.registry;
  if (!registry || !URL.canParse(registry) || !/^https?:$/.test(new URL(registry).protocol)) {
    usage("Give the registry's http(s) URL with --registry, such as --registry https://registry.modelcontextprotocol.io");
  }
  if (values.incremental && values["updated-since"]) usage("Give --incremental or --updated-since, not both.");
  const since = values["updated-since"];
  if (since !== undefined && Number.isNaN(Date.parse(since))) usage(`--updated-since ${JSON.stringify(since)} is not a time: use RFC 3339, such as 2026-12-01T00:00:00Z.`);
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) usage("--limit takes a whole number from 1 to 1000.");
  const timeout = Number(values["page-timeout-ms"]);
  if (!Number.isInteger(timeout) || timeout < 100) usage("--page-timeout-ms takes a whole number of milliseconds, 100 or more.");
  const networks = values.networks ?? process.env.PORTCULLIS_UPSTREAM_NETWORKS ?? "public";
  if (!(UPSTREAM_NETWORKS as readonly string[]).includes(networks)) usage(`--networks takes one of ${UPSTREAM_NETWORKS.join(", ")}.`);
  return {
    registryUrl: registry,
    updatedSince: values.incremental ? ("last" as const) : since ? new Date(since) : undefined,
    search: values.search,
    limit,
    pageTimeoutMs: timeout,
    networks: networks as UpstreamNetworks,
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

async function main() {
  const settings = options();
  let embedded: EmbeddedDatabase | undefined;
  let url = process.env.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedDatabase({ dataDir: path.resolve(process.env.PORTCULLIS_DATA_DIR ?? ".data") });
    url = embedded.url;
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await migrate(url);
    await client.connect();
    console.log(`importing ${settings.registryUrl}${settings.updatedSince ? " (only what changed)" : ""}`);
    const result = await importRegistry(client, { ...settings, log: (line) => console.log(`  ${line}`) });
    const since = result.updatedSince ? `, updated since ${result.updatedSince.toISOString()}` : "";
    console.log(
      `${result.complete ? "done" : "stopped"}: ${plural(result.pages, "page")}, ${plural(result.entries, "entry", "entries")}${since}; ${result.stored} stored, ` +
        `${result.refused} refused${result.gone ? `, ${result.gone} no longer listed (marked deleted)` : ""}`,
    );
    for (const issue of result.issues.slice(0, 20)) console.log(`  ${issue.entry} ${issue.path}: ${issue.reason}`);
    if (result.issues.length > 20) console.log(`  ...and ${result.issues.length - 20} more (catalog_runs.issues)`);
    if (result.error) console.error(result.error);
    process.exitCode = result.complete ? 0 : 1;
  } finally {
    await client.end().catch(() => {});
    if (embedded?.owned) await embedded.stop();
  }
}

main().catch((error) => {
  console.error(`catalog:import failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
