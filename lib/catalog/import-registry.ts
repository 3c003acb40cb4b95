import type pg from "pg";
import { inCatalogTransaction } from "@/lib/catalog/catalog-transaction";
import { fetchRegistryPage, RegistryPageError } from "@/lib/catalog/fetch-registry-page";
import { readRegistryEntry, type RegistryEntry } from "@/lib/catalog/read-registry-entry";
import { storeRegistryEntries, syncToolStatus } from "@/lib/catalog/store-registry-entries";
import { refreshCatalogSearch } from "@/lib/catalog/refresh-catalog-search";
import { refreshServerSummaries } from "@/lib/catalog/refresh-server-summaries";
import type { UpstreamNetworks } from "@/lib/upstream/address-policy";
import { createGuardedFetch } from "@/lib/upstream/guarded-fetch";

// Imports the servers of any registry serving the official MCP Registry's list API (GET /v0.1/servers), page by
// page, following the cursor (`metadata.nextCursor` or `next_cursor`). Each page is stored in its own transaction, so
// a failure keeps what came before and the next run picks up from there. Registries hold no tool lists: a new server
// is "tools not listed yet" until our crawler lists it, and a listing the crawler made is never overwritten.

export interface ImportRegistryOptions {
  registryUrl: string;
  /** Only entries updated since then (the registry includes deleted ones); "last": since the last complete run. */
  updatedSince?: Date | "last";
  search?: string;
  /** Entries per page (the official registry serves at most 100). */
  limit?: number;
  /** Each page must arrive whole within this. */
  pageTimeoutMs?: number;
  /** Each page may be at most this large. */
  maxPageBytes?: number;
  maxPages?: number;
  networks: UpstreamNetworks;
  log?: (line: string) => void;
}

export interface ImportRegistryResult {
  complete: boolean;
  error: string | null;
  pages: number;
  entries: number;
  stored: number;
  refused: number;
  /** Servers a complete full run no longer found, now marked deleted. */
  gone: number;
  updatedSince: Date | null;
  issues: { entry: string; path: string; reason: string }[];
}

export async function importRegistry(client: pg.ClientBase, options: ImportRegistryOptions): Promise<ImportRegistryResult> {
  const registryUrl = new URL(options.registryUrl).href;
  const log = options.log ?? (() => {});
  const limit = options.limit ?? 100;
  const timeoutMs = options.pageTimeoutMs ?? 30_000;
  const maxPages = options.maxPages ?? 10_000;
  const updatedSince = options.updatedSince === "last" ? await lastCompleteRun(client, registryUrl) : (options.updatedSince ?? null);
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO catalog_runs (kind, source, status, counts) VALUES ('registry', $1, 'running', $2) RETURNING id`,
    [registryUrl, JSON.stringify({ updatedSince: updatedSince?.toISOString() ?? null })],
  );
  const runId = rows[0]!.id;
  const issues = new EntryIssues();
  const result: ImportRegistryResult = { complete: false, error: null, pages: 0, entries: 0, stored: 0, refused: 0, gone: 0, updatedSince, issues: issues.list };
  const seen = new Set<string>();
  const maxBytes = options.maxPageBytes ?? 8 * 1024 * 1024;
  const guarded = createGuardedFetch({ networks: options.networks, maxResponseBytes: maxBytes, budget: "per-response" });
  try {
    const cursors = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      if (result.pages >= maxPages) throw new RegistryPageError(`The registry has more than ${maxPages} pages; the import stopped there.`);
      const page = await fetchRegistryPage(guarded.fetch, registryUrl, { cursor, limit, search: options.search, updatedSince: updatedSince ?? undefined }, {
        timeoutMs,
        maxBytes,
        page: result.pages + 1,
      });
      result.pages += 1;
      const entries = readPage(page.entries, result, issues);
      for (const entry of entries) seen.add(entry.server.name);
      await inCatalogTransaction(client, (sql) => storeRegistryEntries(sql, registryUrl, entries));
      result.stored += entries.length;
      log(`page ${result.pages}: ${page.entries.length} entries, ${entries.length} stored`);
      if (!page.nextCursor) break;
      if (cursors.has(page.nextCursor)) throw new RegistryPageError(`The registry sent the cursor ${JSON.stringify(page.nextCursor.slice(0, 80))} twice; the import stopped there to avoid a loop.`);
      cursors.add(page.nextCursor);
      cursor = page.nextCursor;
    }
    // A complete run over everything knows every server the registry still has: the others were removed there.
    if (!updatedSince && !options.search) result.gone = await markGone(client, registryUrl, [...seen]);
    result.complete = true;
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
    // A page's failure is the run's answer; anything else (the database gone, say) is the caller's to report.
    if (!(error instanceof RegistryPageError)) throw error;
  } finally {
    await guarded.close().catch(() => {});
    await client.query(
      `UPDATE catalog_runs SET status = $2, error = $3, counts = $4, issues = $5, finished_at = clock_timestamp() WHERE id = $1`,
      [
        runId,
        result.complete ? "ok" : "failed",
        result.error,
        JSON.stringify({ updatedSince: updatedSince?.toISOString() ?? null, pages: result.pages, entries: result.entries, stored: result.stored, refused: result.refused, gone: result.gone }),
        JSON.stringify(result.issues),
      ],
    );
  }
  return result;
}

/** The start of the last complete run of this registry: what came after is what an incremental run asks for. */
async function lastCompleteRun(client: pg.ClientBase, registryUrl: string): Promise<Date | null> {
  const { rows } = await client.query<{ started_at: Date }>(
    `SELECT started_at FROM catalog_runs WHERE kind = 'registry' AND source = $1 AND status = 'ok' ORDER BY started_at DESC LIMIT 1`,
    [registryUrl],
  );
  return rows[0]?.started_at ?? null;
}

/** The page's entries that can be stored (one per server name: the last one wins), the rest recorded as refused. */
function readPage(items: unknown[], result: ImportRegistryResult, issues: EntryIssues): RegistryEntry[] {
  const byName = new Map<string, RegistryEntry>();
  for (const item of items) {
    result.entries += 1;
    const read = readRegistryEntry(item);
    const label = read.ok ? read.entry.server.name : (read.name ?? `entry ${result.entries}`);
    if (!read.ok) {
      result.refused += 1;
      issues.add(label, "entry", `Refused: ${read.reason}`);
      continue;
    }
    for (const issue of read.entry.server.issues) issues.add(label, issue.path, issue.reason);
    byName.set(read.entry.server.name, read.entry);
  }
  return [...byName.values()];
}

async function markGone(client: pg.ClientBase, registryUrl: string, seen: string[]): Promise<number> {
  return inCatalogTransaction(client, async (sql) => {
    const { rows } = await sql.query<{ id: string }>(
      `UPDATE catalog_servers SET status = 'deleted', status_message = 'The registry no longer lists this server.', updated_at = now()
        WHERE registry_url = $1 AND status <> 'deleted' AND NOT (name = ANY($2::text[]))
        RETURNING id`,
      [registryUrl, seen],
    );
    const ids = rows.map((r) => r.id);
    if (ids.length > 0) {
      await syncToolStatus(sql, ids);
      await refreshServerSummaries(sql, ids);
      await refreshCatalogSearch(sql, ids);
    }
    return ids.length;
  });
}

/** Issues of a run, by entry; bounded so a registry full of bad entries cannot fill the database. */
class EntryIssues {
  readonly list: { entry: string; path: string; reason: string }[] = [];
  add(entry: string, path: string, reason: string): void {
    if (this.list.length < 5_000) this.list.push({ entry, path, reason });
  }
}
