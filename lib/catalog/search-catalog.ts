import { decodeCursor, encodeCursor, type CursorValue } from "@/lib/catalog/catalog-cursor";
import type { Sql } from "@/lib/catalog/catalog-transaction";
import { correctSearchTerms, searchableText, type SearchTerms } from "@/lib/catalog/correct-search-terms";
import { countFacets, passedFilters, type FacetGroup, type Facets } from "@/lib/catalog/count-facets";
import { BROAD_SEARCH_MATCHES } from "@/lib/catalog/limits";
import { ApiError } from "@/lib/http/api-error";
import type { RiskCategory, RiskLevel } from "@/lib/risk/types";

// The catalog's search: tools or servers matching a text (full-text search with weights, misspellings corrected)
// and filters, one page of them, and the count of each filter's values among the results of the other filters
// (so each facet says what choosing that value would give). It reads the search tables (refresh-catalog-search.ts):
// a small row per tool or server, and the facet sets rows are counted in. With text, one statement reads the
// matches once (through the GIN index), keeping each one's facet set and, for those in the allowed sets, what the
// page is sorted by: the counts per facet set and the page both come from what it kept. Without text, the counts
// are the facet sets' own and the page is read along an index in the order asked for. Every count is exact: a
// search costs at least the time PostgreSQL takes to count its matches (bench:catalog prints that floor).
//
// Relevance is PostgreSQL's ts_rank (name weighted most) plus 1 for a name that is exactly the words searched for,
// and for a tool, 0.5 when its server's own name has every word searched for.
// It is computed for RELEVANCE_CANDIDATES matches, not all of them (reading 40,000 matches' words costs ~70 ms):
// those whose name is the words searched for, then those whose name has every word, then the rest, each group with
// the names of fewest words first ("delete_file" before "bulk_delete_old_files"), then in name order. Matches past
// the candidates follow in that same order. With fewer matches than that, the order is exactly ts_rank's.
//
// A broad search (a word in most of the catalog: "mcp", a single letter read as a prefix) would cost what counting
// everything costs, a second of a core at 500,000 tools, and anyone may ask for it. So the matches are read up to
// BROAD_SEARCH_MATCHES + 1: past that, the counts are of those read (each a true "at least": countsAreLowerBounds)
// and the page is read along the index of its order, keeping rows that match (matches are dense, so a page is found
// after a few rows); relevance, which needs every match, gives way to name order (score 0 throughout, so cursors
// keep the relevance keys). The public catalog's pool also bounds each statement's time (lib/db/client.ts).

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

export type { FacetCounts } from "@/lib/catalog/count-facets";

export interface CatalogSearchResult<Row> {
  type: CatalogSearchType;
  q: string | null;
  corrections: { term: string; alternatives: string[] }[];
  sort: CatalogSort;
  total: number;
  page: number | null;
  limit: number;
  nextCursor: string | null;
  facets: Facets;
  /**
   * The text matched more than BROAD_SEARCH_MATCHES: total and facets count the matches read (at least that many),
   * and the results are in name order (relevance) or the sort's, not ranked.
   */
  countsAreLowerBounds: boolean;
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
/** How many matches relevance ranks by ts_rank (see above): more than the first ten pages of the default size. */
export const RELEVANCE_CANDIDATES = 200;

interface SortKey {
  column: string;
  dir: "asc" | "desc";
  cast: "float8" | "int" | "text" | "uuid";
}

const key = (column: string, dir: "asc" | "desc", cast: SortKey["cast"]): SortKey => ({ column, dir, cast });
const BY_ID = key("id", "asc", "uuid");

// A tool's place by name (name, server, id) and by server (server, name, id) are numbers the search table keeps.
const SORTS: Record<CatalogSearchType, Partial<Record<CatalogSort, SortKey[]>>> = {
  tools: {
    relevance: [key("score", "desc", "float8"), key("name_position", "asc", "int")],
    name: [key("name_position", "asc", "int")],
    risk: [key("level_rank", "desc", "int"), key("name_position", "asc", "int")],
    server: [key("server_position", "asc", "int")],
  },
  servers: {
    relevance: [key("score", "desc", "float8"), key("name", "asc", "text"), BY_ID],
    name: [key("name", "asc", "text"), BY_ID],
    risk: [key("level_rank", "desc", "int"), key("name", "asc", "text"), BY_ID],
    tools: [key("tool_count", "desc", "int"), key("name", "asc", "text"), BY_ID],
  },
};

export function sortsFor(type: CatalogSearchType): CatalogSort[] {
  return Object.keys(SORTS[type]) as CatalogSort[];
}

/** Cursors name their sort; "2" since sort keys became search-table columns (an older cursor is refused, not misread). */
const cursorSort = (type: CatalogSearchType, sort: CatalogSort) => `2:${type}:${sort}`;

class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

/** What differs between searching tools and searching servers. */
interface Kind {
  /** The search table, as `s`. */
  table: string;
  id: string;
  /** Its columns a page may be sorted by. */
  columns: string[];
  /** The order within a relevance tier (unique). */
  tieBreak: string[];
  /** The catalog table (as `r`) whose search_vector, with positions and weights, ts_rank reads. */
  rankTable: string;
  /** Whether `r`'s name is exactly the words of `raw`. */
  exactName: (raw: string) => string;
  /**
   * What a relevance search keeps of each match in the allowed sets (column: expression over `s`, given the match's
   * tier and score), and how the first `limit` of them (after `keyset`, if any) are read back from `matches` in
   * relevance order (`order`), as id, the tie-break columns and score.
   */
  relevance: {
    kept: (tier: string, score: string) => Record<string, string>;
    prefix: (order: string, keyset: string, limit: string) => string;
  };
  /** The page's rows (`numbered p`: id, score and the sort's columns) as results, with every sort's values. */
  output: string;
  /** Whether a match (as `r`) belongs to a server whose own name has every word searched for (`text`). */
  serverNamed: (text: string) => string;
}

const TOOLS: Kind = {
  table: "catalog_tool_search",
  id: "tool_id",
  columns: ["level_rank", "name_position", "server_position"],
  tieBreak: ["name_position"],
  rankTable: "catalog_tools",
  exactName: (raw) => `catalog_search_words(r.name) = catalog_search_words(${raw})`,
  // `filesystem`: the Filesystem server's tools before other servers' tools whose descriptions mention a filesystem
  // (the server's name weighs least in a tool's words, D, under its description, B).
  serverNamed: (text) => `to_tsvector('english', catalog_search_words(split_part(r.server_name, '/', 2))) @@ ${text}`,
  // A match's place in relevance order as one bigint: its tier, the words in its name (at most 1023), its place by
  // name (under 2^30; PostgreSQL gives << and | the same precedence, hence the parentheses). Kept as one number, a
  // match takes less of work_mem than as id, place and score, and was measured faster; the prefix's tools are found
  // again by their place (indexed).
  relevance: {
    kept: (tier) => ({ k: `((${tier})::int8 << 40) | (least(length(s.name_vector), 1023)::int8 << 30) | s.name_position` }),
    prefix: (_order, keyset, limit) =>
      `SELECT x.tool_id AS id, d.name_position, d.score
         FROM (SELECT * FROM (SELECT k, (k & 1073741823)::int AS name_position,
                                     (2 - (k >> 40))::float8 + 0.5::float8 / (1 + ((k >> 30) & 1023)) AS score
                                FROM matches WHERE k IS NOT NULL) d
                WHERE true ${keyset} ORDER BY k LIMIT ${limit}) d
         JOIN catalog_tool_search x ON x.name_position = d.name_position`,
  },
  output: `SELECT p.ord, p.score, x.level_rank, x.name_position, x.server_position, t.name, t.server_name, t.title,
                  left(t.description, ${RESULT_DESCRIPTION_LENGTH}) AS description, t.level, t.category, t.argument_names,
                  s.title AS server_title, s.status AS server_status, s.transports, s.registry_types
             FROM numbered p JOIN catalog_tool_search x ON x.tool_id = p.id JOIN catalog_tools t ON t.id = p.id
             JOIN catalog_servers s ON s.id = t.server_id`,
};

const SERVERS: Kind = {
  table: "catalog_server_search",
  id: "server_id",
  columns: ["level_rank", "tool_count", "name"],
  tieBreak: ["name", "id"],
  rankTable: "catalog_servers",
  serverNamed: () => "false",
  // The part of its name after the namespace, or its title.
  exactName: (raw) =>
    `catalog_search_words(${raw}) IN (catalog_search_words(split_part(r.name, '/', 2)), catalog_search_words(r.title))`,
  relevance: {
    kept: (_tier, score) => ({ id: "s.server_id", name: "s.name", score }),
    prefix: (order, keyset, limit) => `SELECT id, name, score FROM matches WHERE id IS NOT NULL ${keyset} ORDER BY ${order} LIMIT ${limit}`,
  },
  output: `SELECT p.ord, p.score, x.level_rank, x.tool_count, s.id, s.name, s.title,
                  left(s.description, ${RESULT_DESCRIPTION_LENGTH}) AS description, s.version, s.status, s.transports,
                  s.registry_types, s.max_level, s.listed_at, s.tools_sha256 IS NOT NULL AS listed,
                  (SELECT json_object_agg(level, n) FROM (SELECT level, count(*)::int AS n FROM catalog_tools WHERE server_id = s.id GROUP BY level) c) AS level_counts
             FROM numbered p JOIN catalog_server_search x ON x.server_id = p.id JOIN catalog_servers s ON s.id = p.id`,
};

interface FacetSet extends FacetGroup {
  id: number;
}

/** The facet sets holding tools (or servers) of servers not deleted, with how many each holds. */
async function readFacetSets(sql: Sql, tools: boolean): Promise<FacetSet[]> {
  const n = tools ? "tools" : "servers";
  // As one JSON value: parsed at once rather than as rows of arrays.
  const { rows } = await sql.query<{ sets: FacetSet[] | null }>(
    `SELECT json_agg(json_build_object('id', id, 'level', level, 'categories', categories, 'transports', transports,
                                       'registryTypes', registry_types, 'n', ${n})) AS sets
       FROM catalog_facet_sets WHERE NOT deleted AND ${n} > 0`,
  );
  return rows[0]!.sets ?? [];
}

export interface SearchOptions {
  /** Matches read at most before a search is broad: BROAD_SEARCH_MATCHES, smaller only in tests. */
  broadAt?: number;
}

export async function searchCatalog(
  sql: Sql,
  input: CatalogSearchInput,
  { broadAt = BROAD_SEARCH_MATCHES }: SearchOptions = {},
): Promise<CatalogSearchResult<CatalogToolHit | CatalogServerHit>> {
  const q = input.q === undefined ? null : searchableText(input.q).trim() || null;
  const terms: SearchTerms = q ? await correctSearchTerms(sql, q) : { tsquery: null, corrections: [] };
  const sort = input.sort ?? (terms.tsquery ? "relevance" : input.type === "tools" ? "risk" : "name");
  const keys = SORTS[input.type][sort];
  if (!keys) {
    throw new ApiError(422, "validation_failed", `query.sort: ${input.type} can be sorted by ${sortsFor(input.type).join(", ")}.`, [
      { path: "query.sort", message: `Sort ${input.type} by ${sortsFor(input.type).join(", ")}.` },
    ]);
  }
  let after: CursorValue[] | null = null;
  if (input.cursor) {
    after = decodeCursor(input.cursor, cursorSort(input.type, sort), keys.map((k) => (k.cast === "float8" || k.cast === "int" ? "number" : "string")));
    if (!after) {
      throw new ApiError(422, "validation_failed", "query.cursor: This cursor is not from this search; start again without it.", [
        { path: "query.cursor", message: "This cursor is not from this search (another sort or type); start again without it." },
      ]);
    }
  }

  const tools = input.type === "tools";
  const kind = tools ? TOOLS : SERVERS;
  const filters = { level: input.level, category: input.category, transport: input.transport, registryType: input.registryType };
  const sets = await readFacetSets(sql, tools);
  // The facet sets a result may be in: a list the planner hashes, so checking a row costs the same for any filters.
  const allowed = sets.filter((set) => Object.values(passedFilters(set, filters)).every(Boolean)).map((set) => set.id);
  const page: Page = { keys, after, limit: input.limit, offset: after ? 0 : ((input.page ?? 1) - 1) * input.limit, allowed, broadAt };

  let found: Found;
  if (terms.tsquery === null) {
    found = { groups: sets, read: 0, results: await walkPage(sql, kind, page, null) };
  } else if (terms.tsquery === "") {
    // Every word is a stop word: nothing matches.
    found = { groups: [], read: 0, results: [] };
  } else {
    found = sort === "relevance" ? await relevancePage(sql, kind, page, terms.tsquery, q!) : await pageOf(sql, kind, page, terms.tsquery);
  }
  const { total, facets } = countFacets(found.groups, filters);
  const broad = found.read > broadAt;
  let results = found.results;
  if (broad) {
    // total counts the matches read that the filters allow.
    const rows = sets.reduce((n, set) => n + set.n, 0);
    const walk = broadPageByWalking(page, rows, total, found.read);
    results = await (walk ? walkPage : allowedMatchesPage)(sql, kind, page, terms.tsquery!);
  }
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
    nextCursor: more && last ? encodeCursor(cursorSort(input.type, sort), keys.map((k) => last[k.column] as CursorValue)) : null,
    facets,
    countsAreLowerBounds: broad,
    results: pageRows.map((row) => (tools ? toolHit(row) : serverHit(row))),
  };
}

interface Page {
  keys: SortKey[];
  after: CursorValue[] | null;
  limit: number;
  offset: number;
  allowed: number[];
  broadAt: number;
}

/** ORDER BY, the cursor's condition, LIMIT (one more row than the page, to know whether there is a next) and OFFSET. */
function pageClauses(page: Page, params: Params) {
  const order = page.keys.map((k) => `${k.column} ${k.dir}`).join(", ");
  return {
    order,
    keyset: page.after ? `AND (${keysetCondition(page.keys, page.after, params)})` : "",
    limit: params.add(page.limit + 1, "int"),
    offset: params.add(page.offset, "int"),
  };
}

/** The page's rows in order (numbered after the LIMIT, so finding them stays a bounded sort), as results. */
const resultsSql = (kind: Kind, order: string) =>
  `(WITH numbered AS (SELECT *, row_number() OVER (ORDER BY ${order}) AS ord FROM page)
    SELECT coalesce(json_agg(r ORDER BY r.ord), '[]') FROM (${kind.output}) r)`;

interface Found {
  /** The matches read, counted per facet set. */
  groups: FacetGroup[];
  /** How many matches were read: more than BROAD_SEARCH_MATCHES means the search is broad (see the top of the file). */
  read: number;
  results: Record<string, unknown>[];
}

/**
 * The matches of a text, read once (MATERIALIZED, so the two readers below share one scan of the GIN index and the
 * rows): each with its facet set, and those in the allowed sets with `columns` (name: expression over `s`) too. The
 * others keep only their facet set, so the rows held stay small (past work_mem they go to a temporary file, read
 * back twice: still less work than finding the matches twice).
 */
function matchesCte(kind: Kind, page: Page, text: string, allowed: string, columns: Record<string, string>): string {
  const kept = Object.entries(columns).map(([name, value]) => `CASE WHEN s.facet_set = ANY(${allowed}) THEN ${value} END AS ${name}`);
  return `matches AS MATERIALIZED (
       SELECT s.facet_set, ${kept.join(", ")} FROM ${kind.table} s WHERE s.search_vector @@ ${text} LIMIT ${page.broadAt + 1}
     ),
     counts AS (SELECT facet_set, count(*)::int AS n FROM matches GROUP BY facet_set)`;
}

/** How many matches the counts CTE holds (deleted servers' included: it says whether the read stopped early). */
const READ_SQL = `(SELECT coalesce(sum(n), 0)::int FROM counts)`;

/** The counts CTE's rows as facet groups (sets of deleted servers left out). */
const GROUPS_SQL = `(SELECT coalesce(json_agg(json_build_object('level', f.level, 'categories', f.categories, 'transports', f.transports,
                                                  'registryTypes', f.registry_types, 'n', g.n)), '[]')
                       FROM counts g JOIN catalog_facet_sets f ON f.id = g.facet_set WHERE NOT f.deleted)`;

/**
 * A page in a sort by columns (not relevance) among the rows of the allowed facet sets that match the text, with the
 * matches counted per facet set in the same statement.
 */
async function pageOf(sql: Sql, kind: Kind, page: Page, tsquery: string): Promise<Found> {
  const params = new Params();
  const allowed = params.add(page.allowed, "int[]");
  const text = params.add(tsquery, "tsquery");
  const { order, keyset, limit, offset } = pageClauses(page, params);
  // What the matches keep: the columns of this sort (the results read the rest from the tables).
  const sorted = [...new Set(page.keys.map((k) => k.column).filter((c) => c !== "id"))];
  const { rows } = await sql.query<{ groups: FacetGroup[] | null; read: number; results: Record<string, unknown>[] }>(
    `WITH ${matchesCte(kind, page, text, allowed, Object.fromEntries([["id", `s.${kind.id}`], ...sorted.map((c) => [c, `s.${c}`])]))},
     page AS (
       SELECT id, ${sorted.join(", ")}, 0::float8 AS score FROM matches WHERE id IS NOT NULL ${keyset}
        ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}
     )
     SELECT ${GROUPS_SQL} AS groups, ${READ_SQL} AS read, ${resultsSql(kind, order)} AS results`,
    params.values,
  );
  return { groups: rows[0]!.groups ?? [], read: rows[0]!.read, results: rows[0]!.results };
}

/**
 * How a broad search's page is read more cheaply, by what its first matches read say (`allowedRead` of the `read`
 * were in the allowed facet sets, of `rows` in all): walking the index of its order, each row's words checked (about
 * ten times a match read through the text index, as they are stored out of line), until the page is filled, which
 * takes about (offset + limit) * rows / allowedRead rows where matches in allowed sets are spread along it; or reading
 * the matches in allowed sets through the text index and sorting them, at most allowedRead * rows / read rows. A
 * filter that keeps few of the matches ("get" among High write tools) would make the walk read nearly every row.
 */
export function broadPageByWalking(page: Page, rows: number, allowedRead: number, read: number): boolean {
  if (allowedRead === 0) return false;
  const walked = ((page.offset + page.limit + 1) * rows) / allowedRead;
  const sorted = (allowedRead * rows) / read;
  return walked * 10 <= sorted;
}

/**
 * A page of a broad search read from its matches in the allowed facet sets (the text index's matches, kept when in
 * those sets, MATERIALIZED so the planner cannot choose to walk an order's index instead), sorted, score 0.
 */
async function allowedMatchesPage(sql: Sql, kind: Kind, page: Page, tsquery: string): Promise<Record<string, unknown>[]> {
  const params = new Params();
  const allowed = params.add(page.allowed, "int[]");
  const text = params.add(tsquery, "tsquery");
  const { order, keyset, limit, offset } = pageClauses(page, params);
  const { rows } = await sql.query<{ results: Record<string, unknown>[] }>(
    `WITH hits AS MATERIALIZED (
       SELECT s.${kind.id} AS id, ${kind.columns.map((c) => `s.${c}`).join(", ")}, 0::float8 AS score
         FROM ${kind.table} s WHERE s.search_vector @@ ${text} AND s.facet_set = ANY(${allowed})
     ),
     page AS (SELECT * FROM hits WHERE true ${keyset} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset})
     SELECT ${resultsSql(kind, order)} AS results`,
    params.values,
  );
  return rows[0]!.results;
}

/**
 * A page read along the index of its order among the rows of the allowed facet sets (score 0: relevance is then the
 * order of its tie-break), counting nothing: browsing without text, and a broad search's page when its matches in
 * the allowed sets are dense enough that rows in order soon fill it (broadPageByWalking).
 */
async function walkPage(sql: Sql, kind: Kind, page: Page, tsquery: string | null): Promise<Record<string, unknown>[]> {
  const params = new Params();
  const allowed = params.add(page.allowed, "int[]");
  const matching = tsquery === null ? "" : `AND s.search_vector @@ ${params.add(tsquery, "tsquery")}`;
  const { order, keyset, limit, offset } = pageClauses(page, params);
  const { rows } = await sql.query<{ results: Record<string, unknown>[] }>(
    `WITH page AS (
       SELECT * FROM (SELECT s.${kind.id} AS id, ${kind.columns.map((c) => `s.${c}`).join(", ")}, 0::float8 AS score
                        FROM ${kind.table} s WHERE s.facet_set = ANY(${allowed}) ${matching}) b
        WHERE true ${keyset}
        ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}
     )
     SELECT ${resultsSql(kind, order)} AS results`,
    params.values,
  );
  return rows[0]!.results;
}

/**
 * A page by relevance (see the top of the file), with the matches counted per facet set in the same statement. The
 * matches in allowed sets are taken in tier and name order, as far as the page needs: the first RELEVANCE_CANDIDATES
 * are ranked by ts_rank and come first (score 3 and up), the others keep that order after them (score 2 - tier, plus
 * up to 0.5 for a name of few words). A cursor past the candidates reads from there on.
 */
async function relevancePage(sql: Sql, kind: Kind, page: Page, tsquery: string, raw: string): Promise<Found> {
  const params = new Params();
  const text = params.add(tsquery, "tsquery");
  const rawText = params.add(raw, "text");
  const allowed = params.add(page.allowed, "int[]");
  const { order, keyset, limit, offset } = pageClauses(page, params);
  const pastCandidates = page.after !== null && (page.after[0] as number) < 3;
  const prefix = params.add(pastCandidates ? page.limit + 1 : RELEVANCE_CANDIDATES + page.offset + page.limit + 1, "int");
  const tie = kind.tieBreak.filter((c) => c !== "id");
  // The relevance tier of a match: 0 its name is the words searched for, 1 its name has every word, 2 the rest.
  const tier = `CASE WHEN s.name_vector = strip(to_tsvector('english', catalog_search_words(${rawText}))) THEN 0
                     WHEN s.name_vector @@ ${text} THEN 1 ELSE 2 END`;
  // float8 throughout: a numeric division here cost about 13 ms over 43,000 matches.
  const score = `(2 - ${tier})::float8 + 0.5::float8 / (1 + length(s.name_vector))`;
  const candidates = pastCandidates ? "false" : `m.position <= ${RELEVANCE_CANDIDATES}`;
  const { rows } = await sql.query<{ groups: FacetGroup[] | null; read: number; results: Record<string, unknown>[] }>(
    `WITH ${matchesCte(kind, page, text, allowed, kind.relevance.kept(tier, score))},
     -- A broad search's page is read afterwards (see searchCatalog): ranking one here would be thrown away, so past
     -- broadAt matches this is not run (a one-time filter on the count above).
     prefix AS (SELECT * FROM (${kind.relevance.prefix(order, pastCandidates ? keyset : "", prefix)}) p WHERE ${READ_SQL} <= ${params.add(page.broadAt, "int")}),
     numbered_matches AS (SELECT *, row_number() OVER (ORDER BY ${order}) AS position FROM prefix),
     ordered AS (
       SELECT m.id, ${tie.map((c) => `m.${c}, `).join("")}
              3 + ts_rank(r.search_vector, ${text})::float8 + CASE WHEN ${kind.exactName(rawText)} THEN 1 ELSE 0 END
                + CASE WHEN ${kind.serverNamed(text)} THEN 0.5 ELSE 0 END AS score
         FROM numbered_matches m JOIN ${kind.rankTable} r ON r.id = m.id
        WHERE ${candidates}
       UNION ALL
       SELECT m.id, ${tie.map((c) => `m.${c}, `).join("")}m.score FROM numbered_matches m WHERE NOT (${candidates})
     ),
     page AS (SELECT * FROM ordered WHERE true ${keyset} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset})
     SELECT ${GROUPS_SQL} AS groups, ${READ_SQL} AS read, ${resultsSql(kind, order)} AS results`,
    params.values,
  );
  return { groups: rows[0]!.groups ?? [], read: rows[0]!.read, results: rows[0]!.results };
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
