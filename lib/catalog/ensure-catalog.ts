import pg from "pg";
import { loadedSnapshotDigest, loadSnapshot, type SnapshotLoad } from "@/lib/catalog/load-snapshot";
import { defaultSnapshotDir, readSnapshot } from "@/lib/catalog/read-snapshot";
import { hasStaleClassifications, reclassifyCatalog } from "@/lib/catalog/reclassify-catalog";
import { inCatalogTransaction } from "@/lib/catalog/catalog-transaction";
import { catalogSearchIsBehind, rebuildCatalogSearch, vacuumCatalogSearch } from "@/lib/catalog/refresh-catalog-search";

// Run at start, after the migrations: recomputes classifications made by another classifier version, then loads the
// committed snapshot when the database holds another one (a new release brings a new snapshot). When both are
// current, it costs reading and hashing the files and three queries (the last checks every catalog row has its
// search row: a few hundred milliseconds at 500,000 tools).

export interface CatalogStart {
  snapshot: "missing" | SnapshotLoad["status"];
  load?: SnapshotLoad;
  reclassified: number;
  ms: number;
}

export async function ensureCatalog(databaseUrl: string, options: { dir?: string } = {}): Promise<CatalogStart> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const snapshot = await readSnapshot(options.dir ?? defaultSnapshotDir());
    // Before the load: a load replaces the tools with ones classified by the current version, so recomputing first is
    // what records each level the new classifier moved (catalog_tool_changes outlives the rows it describes).
    const reclassified = (await hasStaleClassifications(client)) ? await reclassifyCatalog(client) : 0;
    let load: SnapshotLoad | undefined;
    if (snapshot && (await loadedSnapshotDigest(client)) !== snapshot.digest) load = await loadSnapshot(client, snapshot);
    // A database migrated from before the search tables has a catalog they do not hold yet: built once, here (checked
    // again under the catalog lock, so of several instances starting together one builds them).
    if (await catalogSearchIsBehind(client)) {
      const rebuilt = await inCatalogTransaction(client, async (sql) => {
        if (!(await catalogSearchIsBehind(sql))) return false;
        await rebuildCatalogSearch(sql);
        return true;
      });
      if (rebuilt) await vacuumCatalogSearch(client);
    }
    return {
      snapshot: !snapshot ? "missing" : (load?.status ?? "unchanged"),
      ...(load ? { load } : {}),
      reclassified,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await client.end();
  }
}

/** One line for the start-up log. */
export function describeCatalogStart(start: CatalogStart, dir = defaultSnapshotDir()): string {
  const parts: string[] = [];
  if (start.snapshot === "missing") parts.push(`no catalog snapshot at ${dir}`);
  else if (start.load?.status === "loaded") {
    const refused = start.load.refused.length;
    parts.push(
      `catalog snapshot loaded: ${start.load.servers} servers, ${start.load.tools} tools` +
        (refused ? `, ${refused} file${refused === 1 ? "" : "s"} refused (see catalog_runs)` : ""),
    );
  } else parts.push("catalog snapshot up to date");
  if (start.reclassified > 0) parts.push(`${start.reclassified} catalog tools reclassified`);
  return `${parts.join("; ")} (${start.ms} ms)`;
}
