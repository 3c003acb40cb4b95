import { decodeCursor, encodeCursor, type CursorValue } from "@/lib/catalog/catalog-cursor";
import { LEVELS_SQL } from "@/lib/catalog/catalog-sql";
import type { Sql } from "@/lib/catalog/catalog-transaction";
import { correctSearchTerms, searchableText } from "@/lib/catalog/correct-search-terms";
import { ApiError } from "@/lib/http/api-error";
import { RISK_CATEGORIES, RISK_LEVELS, type RiskCategory, type RiskLevel } from "@/lib/risk/types";

// The catalog's search: tools or servers matching a text (full-text search with weights, misspellings corrected)
// and filters, one page of them, and the count of each filter's values among the results of the other filters
// (so each facet says what choosing that value would give). Two statements: one turns the text into a query, one
// finds the page, the total and every facet (the matching rows are found once and counted four ways).

export type CatalogSearchType = "tools" | "servers";
export type CatalogSort = "relevance" | "name" | "risk" | "server" | "tools";

export interface CatalogSearchInput {
  type: CatalogSearchType;
  q?: string;
  level?: RiskLevel[];
  category?: RiskCategory[];
  transport?: string[];
  registryType?: string[];
  sort?: CatalogSort;
  page?: number;
  cursor?: string;
  limit: number;
}

export type FacetCounts = Record<string, number>;

export interface CatalogSearchResult<Row> {
  type: CatalogSearchType;
  q: string | null;
  corrections: { term: string; alternatives: string[] }[];
  sort: CatalogSort;
  total: number;
  page: number | null;
  limit: number;
  nextCursor: string | null;
  facets: { level: FacetCounts; category: FacetCounts; transport: FacetCounts; registryType: FacetCounts };
  results: Row[];
}

export interface CatalogToolHit {
  name: string;
  title: string | null;
  description: string | null;
  level: RiskLevel;
  category: RiskCategory;
  argumentNames: string[];
  server: { name: string; title: string | null; status: string; transports: string[]; registryTypes: string[] };
}

export interface CatalogServerHit {
  name: string;
  title: string | null;
  description: string | null;
  version: string | null;
  status: string;
  transports: string[];
  registryTypes: string[];
  listed: boolean;
  listedAt: string | null;
  toolCount: number;
  maxLevel: RiskLevel | null;
  toolCountsByLevel: Record<RiskLevel, number>;
}

/** How much of a description a result carries; the server's or tool's own page has all of it. */
export const RESULT_DESCRIPTION_LENGTH = 500;

interface SortKey {
  column: string;
  dir: "asc" | "desc";
  cast: "float8" | "int" | "text" | "uuid";
}

const key = (column: string, dir: "asc" | "desc", cast: SortKey["cast"]): SortKey => ({ column, dir, cast });
const BY_ID = key("id", "asc", "uuid");

const SORTS: Record<CatalogSearchType, Partial<Record<CatalogSort, SortKey[]>>> = {
  tools: {
    relevance: [key("rank", "desc", "float8"), key("name", "asc", "text"), BY_ID],
    name: [key("name", "asc", "text"), key("server_name", "asc", "text"), BY_ID],
    risk: [key("level_rank", "desc", "int"), key("name", "asc", "text"), BY_ID],
    server: [key("server_name", "asc", "text"), key("name", "asc", "text"), BY_ID],
  },
  servers: {
    relevance: [key("rank", "desc", "float8"), key("name", "asc", "text"), BY_ID],
    name: [key("name", "asc", "text"), BY_ID],
    risk: [key("level_rank", "desc", "int"), key("name", "asc", "text"), BY_ID],
    tools: [key("tool_count", "desc", "int"), key("name", "asc", "text"), BY_ID],
  },
};

export function sortsFor(type: CatalogSearchType): CatalogSort[] {
  return Object.keys(SORTS[type]) as CatalogSort[];
}

class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

export async function searchCatalog(sql: Sql, input: CatalogSearchInput): Promise<CatalogSearchResult<CatalogToolHit | CatalogServerHit>> {
  const q = input.q === undefined ? null : searchableText(input.q).trim() || null;
  const terms = q ? await correctSearchTerms(sql, q) : { tsquery: null, corrections: [] };
  const sort = input.sort ?? (terms.tsquery ? "relevance" : input.type === "tools" ? "risk" : "name");
  const keys = SORTS[input.type][sort];
  if (!keys) {
    throw new ApiError(422, "validation_failed", `query.sort: ${input.type} can be sorted by ${sortsFor(input.type).join(", ")}.`, [
      { path: "query.sort", message: `Sort ${input.type} by ${sortsFor(input.type).join(", ")}.` },
    ]);
  }
  let after: CursorValue[] | null = null;
  if (input.cursor) {
    after = decodeCursor(input.cursor, `${input.type}:${sort}`, keys.map((k) => (k.cast === "float8" || k.cast === "int" ? "number" : "string")));
    if (!after) {
      throw new ApiError(422, "validation_failed", "query.cursor: This cursor is not from this search; start again without it.", [
        { path: "query.cursor", message: "This cursor is not from this search (another sort or type); start again without it." },
      ]);
    }
  }

  const params = new Params();
  const t = input.type === "tools" ? "t" : "s";
  const text = terms.tsquery === null ? null : params.add(terms.tsquery, "tsquery");
  const raw = text === null ? null : params.add(q, "text");
  const filter = (values: string[] | undefined, sqlFor: (p: string) => string) => (values?.length ? sqlFor(params.add(values, "text[]")) : "true");
  const tools = input.type === "tools";
  const fLevel = filter(input.level, (p) => (tools ? `t.level = ANY(${p})` : `s.max_level = ANY(${p})`));
  const fCategory = filter(input.category, (p) => (tools ? `t.category = ANY(${p})` : `s.categories && ${p}`));
  const fTransport = filter(input.transport, (p) => `${t}.transports && ${p}`);
  const fRegistry = filter(input.registryType, (p) => `${t}.registry_types && ${p}`);
  // A name that is exactly the words searched for ("read file" for read_file; a server's title or the part of its
  // name after the namespace) comes first.
  const exact = tools
    ? `catalog_search_words(t.name) = catalog_search_words(${raw})`
    : `catalog_search_words(${raw}) IN (catalog_search_words(split_part(s.name, '/', 2)), catalog_search_words(s.title))`;
  const rank = text === null ? "0::float8" : `(ts_rank(${t}.search_vector, ${text})::float8 + CASE WHEN ${exact} THEN 1 ELSE 0 END)`;
  const textMatch = text === null ? "" : terms.tsquery === "" ? "AND false" : `AND ${t}.search_vector @@ ${text}`;

  const matched = tools
    ? `SELECT t.id, t.name, t.server_name, t.level, t.category, t.transports, t.registry_types,
              array_position(${LEVELS_SQL}, t.level) AS level_rank, 0 AS tool_count, ${rank} AS rank,
              ${fLevel} AS f_level, ${fCategory} AS f_category, ${fTransport} AS f_transport, ${fRegistry} AS f_registry
         FROM catalog_tools t
        WHERE t.server_status <> 'deleted' ${textMatch}`
    : `SELECT s.id, s.name, s.name AS server_name, s.max_level AS level, s.categories, s.transports, s.registry_types,
              coalesce(array_position(${LEVELS_SQL}, s.max_level), 0) AS level_rank, s.tool_count, ${rank} AS rank,
              ${fLevel} AS f_level, ${fCategory} AS f_category, ${fTransport} AS f_transport, ${fRegistry} AS f_registry
         FROM catalog_servers s
        WHERE s.status <> 'deleted' ${textMatch}`;
  const categoryFacet = tools
    ? `SELECT 'category' AS facet, category AS value, count(*)::int AS n FROM matched WHERE f_level AND f_transport AND f_registry GROUP BY category`
    : `SELECT 'category', v, count(*)::int FROM matched, unnest(categories) v WHERE f_level AND f_transport AND f_registry GROUP BY v`;

  const order = keys.map((k) => `${k.column} ${k.dir}`).join(", ");
  const limit = params.add(input.limit + 1, "int");
  const offset = params.add(after ? 0 : ((input.page ?? 1) - 1) * input.limit, "int");
  const keyset = after ? `AND (${keysetCondition(keys, after, params)})` : "";
  const output = tools
    ? `SELECT p.ord, p.rank, p.level_rank, p.tool_count, p.id, t.name, t.server_name, t.title, left(t.description, ${RESULT_DESCRIPTION_LENGTH}) AS description,
              t.level, t.category, t.argument_names, s.title AS server_title, s.status AS server_status, s.transports, s.registry_types
         FROM page p JOIN catalog_tools t ON t.id = p.id JOIN catalog_servers s ON s.id = t.server_id`
    : `SELECT p.ord, p.rank, p.level_rank, p.tool_count, p.id, s.name, s.name AS server_name, s.title, left(s.description, ${RESULT_DESCRIPTION_LENGTH}) AS description,
              s.version, s.status, s.transports, s.registry_types, s.max_level, s.listed_at, s.tools_sha256 IS NOT NULL AS listed,
              (SELECT json_object_agg(level, n) FROM (SELECT level, count(*)::int AS n FROM catalog_tools WHERE server_id = s.id GROUP BY level) c) AS level_counts
         FROM page p JOIN catalog_servers s ON s.id = p.id`;

  const { rows } = await sql.query<{ total: number; facets: { facet: string; value: string; n: number }[]; results: Record<string, unknown>[] }>(
    `WITH matched AS MATERIALIZED (${matched}),
     hits AS (SELECT * FROM matched WHERE f_level AND f_category AND f_transport AND f_registry),
     page AS (
       SELECT id, name, server_name, level_rank, tool_count, rank, row_number() OVER (ORDER BY ${order}) AS ord
         FROM hits WHERE true ${keyset}
        ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}
     ),
     facets AS (
       SELECT 'level' AS facet, level AS value, count(*)::int AS n FROM matched WHERE level IS NOT NULL AND f_category AND f_transport AND f_registry GROUP BY level
       UNION ALL ${categoryFacet}
       UNION ALL SELECT 'transport', v, count(*)::int FROM matched, unnest(transports) v WHERE f_level AND f_category AND f_registry GROUP BY v
       UNION ALL SELECT 'registryType', v, count(*)::int FROM matched, unnest(registry_types) v WHERE f_level AND f_category AND f_transport GROUP BY v
     )
     SELECT (SELECT count(*)::int FROM hits) AS total,
            (SELECT coalesce(json_agg(f), '[]') FROM facets f) AS facets,
            (SELECT coalesce(json_agg(r ORDER BY r.ord), '[]') FROM (${output}) r) AS results`,
    params.values,
  );
  const { total, facets, results } = rows[0]!;
  const more = results.length > input.limit;
  const pageRows = results.slice(0, input.limit);
  const last = pageRows.at(-1);
  return {
    type: input.type,
    q,
    corrections: terms.corrections,
    sort,
    total,
    page: input.cursor ? null : (input.page ?? 1),
    limit: input.limit,
    nextCursor: more && last ? encodeCursor(`${input.type}:${sort}`, keys.map((k) => last[k.column] as CursorValue)) : null,
    facets: facetCounts(facets),
    results: pageRows.map((row) => (tools ? toolHit(row) : serverHit(row))),
  };
}

/** Rows after the cursor's: (a > x) or (a = x and b > y) or ..., each comparison in its key's direction. */
function keysetCondition(keys: readonly SortKey[], values: readonly CursorValue[], params: Params): string {
  const placeholders = keys.map((k, i) => params.add(values[i], k.cast));
  return keys
    .map((k, i) => {
      const equal = keys.slice(0, i).map((e, j) => `${e.column} = ${placeholders[j]}`);
      return `(${[...equal, `${k.column} ${k.dir === "asc" ? ">" : "<"} ${placeholders[i]}`].join(" AND ")})`;
    })
    .join(" OR ");
}

function facetCounts(rows: readonly { facet: string; value: string; n: number }[]): CatalogSearchResult<unknown>["facets"] {
  const facets = {
    level: Object.fromEntries(RISK_LEVELS.map((l) => [l, 0])) as FacetCounts,
    category: Object.fromEntries(RISK_CATEGORIES.map((c) => [c, 0])) as FacetCounts,
    transport: {} as FacetCounts,
    registryType: {} as FacetCounts,
  };
  for (const row of rows) facets[row.facet as keyof typeof facets][row.value] = row.n;
  return facets;
}

function toolHit(row: Record<string, unknown>): CatalogToolHit {
  return {
    name: row.name as string,
    title: (row.title as string | null) ?? null,
    description: (row.description as string | null) ?? null,
    level: row.level as RiskLevel,
    category: row.category as RiskCategory,
    argumentNames: (row.argument_names as string[] | null) ?? [],
    server: {
      name: row.server_name as string,
      title: (row.server_title as string | null) ?? null,
      status: row.server_status as string,
      transports: (row.transports as string[] | null) ?? [],
      registryTypes: (row.registry_types as string[] | null) ?? [],
    },
  };
}

function serverHit(row: Record<string, unknown>): CatalogServerHit {
  const counts = (row.level_counts as Partial<Record<RiskLevel, number>> | null) ?? {};
  return {
    name: row.name as string,
    title: (row.title as string | null) ?? null,
    description: (row.description as string | null) ?? null,
    version: (row.version as string | null) ?? null,
    status: row.status as string,
    transports: (row.transports as string[] | null) ?? [],
    registryTypes: (row.registry_types as string[] | null) ?? [],
    listed: row.listed as boolean,
    listedAt: row.listed_at ? new Date(row.listed_at as string).toISOString() : null,
    toolCount: row.tool_count as number,
    maxLevel: (row.max_level as RiskLevel | null) ?? null,
    toolCountsByLevel: { low: counts.low ?? 0, medium: counts.medium ?? 0, high: counts.high ?? 0, critical: counts.critical ?? 0 },
  };
}
