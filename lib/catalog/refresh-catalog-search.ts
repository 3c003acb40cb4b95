import type pg from "pg";
import type { Sql } from "@/lib/catalog/catalog-transaction";
import { LEVELS_SQL } from "@/lib/catalog/catalog-sql";

// The tables search reads (see the migration 20261217120000_catalog_search_tables): a small row per tool and per
// server, the facet sets they are counted in, and the distinct tool names. They are derived from catalog_tools and
// catalog_servers: a load rebuilds them, an import or a registry status change refreshes its servers' rows. The
// counts of each facet set follow by themselves (triggers).

/** Tools with the values they are filtered and counted by, and what their search rows are made of. */
const TOOL_FACETS = `
  SELECT t.id, t.name, t.server_name, coalesce(t.search_vector, '') AS search_vector, t.level, ARRAY[t.category] AS categories,
         coalesce(t.transports, '{}') AS transports, coalesce(t.registry_types, '{}') AS registry_types,
         t.server_status = 'deleted' AS deleted
    FROM catalog_tools t`;

/** Servers likewise: their riskiest tool's level and their tools' categories. */
const SERVER_FACETS = `
  SELECT s.id, s.name, s.tool_count, coalesce(s.search_vector, '') AS search_vector, s.max_level AS level,
         coalesce(s.categories, '{}') AS categories, coalesce(s.transports, '{}') AS transports,
         coalesce(s.registry_types, '{}') AS registry_types, s.status = 'deleted' AS deleted
    FROM catalog_servers s`;

/** Whether facet set `f` is the one of row `x` (a level may be null; the arrays are compared as they are stored). */
const SAME_SET = `coalesce(f.level, '') = coalesce(x.level, '') AND f.categories = x.categories AND f.transports = x.transports
  AND f.registry_types = x.registry_types AND f.deleted = x.deleted`;

/** Adds the facet sets these rows need and the table lacks (writers hold the catalog lock: no one adds them meanwhile). */
async function addFacetSets(sql: Sql, rows: string, params: unknown[]): Promise<void> {
  await sql.query(
    `INSERT INTO catalog_facet_sets (level, categories, transports, registry_types, deleted)
     SELECT DISTINCT x.level, x.categories, x.transports, x.registry_types, x.deleted FROM (${rows}) x
      WHERE NOT EXISTS (SELECT 1 FROM catalog_facet_sets f WHERE ${SAME_SET})`,
    params,
  );
}

/**
 * Rebuilds the tools' search rows and the names list from catalog_tools: after a load (tools added or removed move
 * every tool's place in the name and server orders) or a reclassification.
 */
export async function rebuildToolSearch(sql: Sql): Promise<void> {
  await sql.query("DELETE FROM catalog_tool_search");
  await addFacetSets(sql, TOOL_FACETS, []);
  await sql.query(
    `INSERT INTO catalog_tool_search (tool_id, facet_set, level_rank, name_position, server_position, name_vector, search_vector)
     SELECT x.id, f.id, array_position(${LEVELS_SQL}, x.level),
            row_number() OVER (ORDER BY x.name, x.server_name, x.id), row_number() OVER (ORDER BY x.server_name, x.name, x.id),
            strip(ts_filter(x.search_vector, '{a}')), strip(x.search_vector)
       FROM (${TOOL_FACETS}) x JOIN catalog_facet_sets f ON ${SAME_SET}`,
  );
  await sql.query("DELETE FROM catalog_tool_names");
  await sql.query("INSERT INTO catalog_tool_names (name) SELECT DISTINCT name FROM catalog_tools");
}

/** Moves the search rows of these servers' tools to the facet sets they now belong in (a registry status changed). */
export async function refreshToolFacets(sql: Sql, serverIds: string[]): Promise<void> {
  if (serverIds.length === 0) return;
  const rows = `${TOOL_FACETS} WHERE t.server_id = ANY($1::uuid[])`;
  await addFacetSets(sql, rows, [serverIds]);
  await sql.query(
    `UPDATE catalog_tool_search s SET facet_set = f.id, level_rank = array_position(${LEVELS_SQL}, x.level)
       FROM (${rows}) x JOIN catalog_facet_sets f ON ${SAME_SET}
      WHERE s.tool_id = x.id AND (s.facet_set <> f.id OR s.level_rank IS DISTINCT FROM array_position(${LEVELS_SQL}, x.level))`,
    [serverIds],
  );
}

/** Rewrites the search rows of these servers (null: every server) from catalog_servers, after their summaries. */
export async function refreshServerSearch(sql: Sql, serverIds: string[] | null): Promise<void> {
  if (serverIds?.length === 0) return;
  const rows = `${SERVER_FACETS} WHERE $1::uuid[] IS NULL OR s.id = ANY($1::uuid[])`;
  await sql.query("DELETE FROM catalog_server_search WHERE $1::uuid[] IS NULL OR server_id = ANY($1::uuid[])", [serverIds]);
  await addFacetSets(sql, rows, [serverIds]);
  await sql.query(
    `INSERT INTO catalog_server_search (server_id, facet_set, level_rank, tool_count, name, name_vector, search_vector)
     SELECT x.id, f.id, coalesce(array_position(${LEVELS_SQL}, x.level), 0), x.tool_count, x.name,
            strip(ts_filter(x.search_vector, '{a}')), strip(x.search_vector)
       FROM (${rows}) x JOIN catalog_facet_sets f ON ${SAME_SET}`,
    [serverIds],
  );
}

/** After a load or a reclassification: every search row from the catalog as it now is. */
export async function rebuildCatalogSearch(sql: Sql): Promise<void> {
  await rebuildToolSearch(sql);
  await refreshServerSearch(sql, null);
}

/** After an import changed these servers (their status, or an unlisted server's packages): their search rows. */
export async function refreshCatalogSearch(sql: Sql, serverIds: string[]): Promise<void> {
  await refreshToolFacets(sql, serverIds);
  await refreshServerSearch(sql, serverIds);
}

/**
 * Whether the search tables miss rows of the catalog: a database migrated from before they existed (filled at the
 * next start), or anything that wrote the catalog without them.
 */
export async function catalogSearchIsBehind(sql: Sql): Promise<boolean> {
  const { rows } = await sql.query<{ behind: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM catalog_tools t WHERE NOT EXISTS (SELECT 1 FROM catalog_tool_search s WHERE s.tool_id = t.id))
         OR EXISTS (SELECT 1 FROM catalog_servers c WHERE NOT EXISTS (SELECT 1 FROM catalog_server_search s WHERE s.server_id = c.id)) AS behind`,
  );
  return rows[0]!.behind;
}

/**
 * Fresh statistics, and the space of the rows a rebuild replaced made reusable: until then a search's index still
 * points at them and reads their pages for nothing. Outside a transaction (VACUUM cannot run in one).
 */
export async function vacuumCatalogSearch(client: pg.ClientBase): Promise<void> {
  await client.query("VACUUM (ANALYZE) catalog_tool_search, catalog_server_search, catalog_tool_names, catalog_facet_sets");
}
