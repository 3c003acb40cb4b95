import type pg from "pg";
import { serverEntryRow } from "@/lib/catalog/server-entry-row";
import { inCatalogTransaction, type Sql } from "@/lib/catalog/catalog-transaction";
import { yieldToEventLoop } from "@/lib/catalog/yield-to-event-loop";
import { classifyCatalogTools } from "@/lib/catalog/classify-catalog-tools";
import type { CheckedServer } from "@/lib/catalog/check-server-entry";
import { insertCatalogTools, type ToolRow } from "@/lib/catalog/insert-catalog-tools";
import { parseSnapshot, type ParsedSnapshot } from "@/lib/catalog/parse-snapshot";
import type { Snapshot } from "@/lib/catalog/read-snapshot";
import { rebuildCatalogSearch, vacuumCatalogSearch } from "@/lib/catalog/refresh-catalog-search";
import { rebuildCatalogWords } from "@/lib/catalog/refresh-catalog-words";
import { refreshServerSummaries } from "@/lib/catalog/refresh-server-summaries";
import { CLASSIFIER_VERSION } from "@/lib/risk/version";

// Loads the snapshot in one transaction: its servers replace the previous snapshot's (a server it no longer holds
// loses its listing, and goes when no registry lists it either), every tool is classified, and the run is recorded
// with what was refused or cleaned. Under the catalog lock, the digest is checked again, so of several instances
// starting together one loads and the others find it done.

export interface SnapshotLoad {
  status: "loaded" | "unchanged";
  digest: string;
  servers: number;
  tools: number;
  refused: { file: string; reason: string }[];
  /** Entries cleaned (a field cut, a tool dropped...), each with its reason. */
  issues: number;
}

/** The newest successful snapshot load's digest, or null. */
export async function loadedSnapshotDigest(sql: Sql): Promise<string | null> {
  const { rows } = await sql.query<{ digest: string | null }>(
    `SELECT digest FROM catalog_runs WHERE kind = 'snapshot' AND status = 'ok' ORDER BY started_at DESC, id LIMIT 1`,
  );
  return rows[0]?.digest ?? null;
}

export async function loadSnapshot(client: pg.ClientBase, snapshot: Snapshot, options: { force?: boolean } = {}): Promise<SnapshotLoad> {
  const startedAt = new Date();
  const parsed = await parseSnapshot(snapshot.files);
  if (parsed.servers.length === 0 && snapshot.files.length > 0) {
    // Every file refused is a broken snapshot, not an empty catalog: keep what is loaded.
    const first = parsed.refused[0]!;
    throw new Error(`None of the ${snapshot.files.length} catalog files could be loaded (${first.file}: ${first.reason}); the catalog was left as it was.`);
  }
  const toolRows = await classifyAll(parsed.servers);
  const summary = (status: SnapshotLoad["status"]): SnapshotLoad => ({
    status,
    digest: snapshot.digest,
    servers: parsed.servers.length,
    tools: toolRows.length,
    refused: parsed.refused,
    issues: parsed.issues.length,
  });

  const loaded = await inCatalogTransaction(client, async (sql) => {
    if (!options.force && (await loadedSnapshotDigest(sql)) === snapshot.digest) return summary("unchanged");
    const serverIds = await upsertServers(sql, parsed.servers);
    await sql.query("DELETE FROM catalog_tools WHERE server_id = ANY($1::uuid[])", [serverIds]);
    await insertCatalogTools(sql, toolRows);
    const cleared = await dropListingsNoLongerInSnapshot(sql, parsed.servers.map((s) => s.name));
    await refreshServerSummaries(sql, [...serverIds, ...cleared]);
    await rebuildCatalogSearch(sql);
    await rebuildCatalogWords(sql);
    await recordSnapshotRun(sql, snapshot, parsed, toolRows.length, startedAt);
    return summary("loaded");
  });
  // Fresh statistics at once, so the first searches are planned for the catalog as it now is (autovacuum comes later).
  if (loaded.status === "loaded") {
    await client.query("ANALYZE catalog_servers, catalog_tools, catalog_words");
    await vacuumCatalogSearch(client);
  }
  return loaded;
}

export async function classifyAll(servers: readonly CheckedServer[]): Promise<ToolRow[]> {
  const rows: ToolRow[] = [];
  for (const server of servers) {
    if (!server.listing) continue;
    await yieldToEventLoop();
    const risks = classifyCatalogTools(server.listing.tools, { ...server, via: server.listing.via });
    for (const tool of server.listing.tools) {
      rows.push({ serverName: server.name, tool, risk: risks.get(tool.name)!, classifierVersion: CLASSIFIER_VERSION });
    }
  }
  return rows;
}

/** Inserts or updates the snapshot's servers (their registry status, if a registry lists them, is kept). */
export async function upsertServers(sql: Sql, servers: readonly CheckedServer[]): Promise<string[]> {
  if (servers.length === 0) return [];
  const rows = servers.map((s) => ({
    ...serverEntryRow(s),
    listed_at: s.listing?.listedAt?.toISOString() ?? null,
    via: s.listing?.via ?? null,
    tools_sha256: s.listing?.toolsSha256 ?? null,
  }));
  const { rows: stored } = await sql.query<{ id: string }>(
    `INSERT INTO catalog_servers (name, title, description, version, repository_url, website_url, packages, remotes, transports,
                                  registry_types, source, listed_at, via, tools_sha256, issues, updated_at)
     SELECT x.name, x.title, x.description, x.version, x.repository_url, x.website_url, x.packages, x.remotes, x.transports,
            x.registry_types, 'snapshot', x.listed_at, x.via, x.tools_sha256, x.issues, now()
       FROM jsonb_to_recordset($1::jsonb) AS x(name text, title text, description text, version text, repository_url text,
            website_url text, packages jsonb, remotes jsonb, transports text[], registry_types text[], listed_at timestamptz,
            via jsonb, tools_sha256 text, issues jsonb)
     ON CONFLICT (name) DO UPDATE SET
            title = EXCLUDED.title, description = EXCLUDED.description, version = EXCLUDED.version,
            repository_url = EXCLUDED.repository_url, website_url = EXCLUDED.website_url, packages = EXCLUDED.packages,
            remotes = EXCLUDED.remotes, transports = EXCLUDED.transports, registry_types = EXCLUDED.registry_types,
            source = 'snapshot', listed_at = EXCLUDED.listed_at, via = EXCLUDED.via, tools_sha256 = EXCLUDED.tools_sha256,
            issues = EXCLUDED.issues, updated_at = now()
     RETURNING id`,
    [JSON.stringify(rows)],
  );
  return stored.map((r) => r.id);
}

/**
 * Servers the previous snapshot listed and this one does not: gone, unless a registry lists them, in which case they
 * stay as "tools not listed yet". Returns the ids of those kept.
 */
async function dropListingsNoLongerInSnapshot(sql: Sql, names: string[]): Promise<string[]> {
  await sql.query(`DELETE FROM catalog_servers WHERE source = 'snapshot' AND registry_url IS NULL AND NOT (name = ANY($1::text[]))`, [names]);
  const { rows } = await sql.query<{ id: string }>(
    `UPDATE catalog_servers SET source = registry_url, listed_at = NULL, via = NULL, tools_sha256 = NULL, updated_at = now()
      WHERE source = 'snapshot' AND NOT (name = ANY($1::text[]))
      RETURNING id`,
    [names],
  );
  const ids = rows.map((r) => r.id);
  if (ids.length > 0) await sql.query("DELETE FROM catalog_tools WHERE server_id = ANY($1::uuid[])", [ids]);
  return ids;
}

/** What a run keeps of its issues: enough to act on, bounded however bad the snapshot. */
const MAX_RECORDED_ISSUES = 5_000;

async function recordSnapshotRun(sql: Sql, snapshot: Snapshot, parsed: ParsedSnapshot, tools: number, startedAt: Date): Promise<void> {
  const issues = [
    ...parsed.refused.map((r) => ({ file: r.file, path: "file", reason: `Refused: ${r.reason}` })),
    ...parsed.issues,
  ].slice(0, MAX_RECORDED_ISSUES);
  await sql.query(
    `INSERT INTO catalog_runs (kind, source, digest, classifier_version, status, counts, issues, started_at, finished_at)
     VALUES ('snapshot', $1, $2, $3, 'ok', $4, $5, $6, clock_timestamp())`,
    [
      snapshot.dir,
      snapshot.digest,
      CLASSIFIER_VERSION,
      JSON.stringify({ files: snapshot.files.length, servers: parsed.servers.length, tools, refused: parsed.refused.length, issues: parsed.issues.length }),
      JSON.stringify(issues),
      startedAt,
    ],
  );
}
