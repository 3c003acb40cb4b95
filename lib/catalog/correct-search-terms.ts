import type { Sql } from "@/lib/catalog/catalog-transaction";

// A person's search text as a PostgreSQL text-search query. Words are split as names are (catalog_search_words:
// "readFile" and "read_file" give "read file"); each word matches as a prefix (people type as they think), and a
// word of four letters or more that begins no catalog word is also matched by the catalog words closest to it by
// trigram similarity (pg_trgm), so "filesytem" finds filesystem and "playwrite" finds playwright. Only the close
// ones are kept (within 85% of the best, and at least MIN_SIMILARITY), so "playwrite" does not also match every tool
// that writes; a word that occurs anywhere in the catalog's text is taken as meant and never corrected.

export interface SearchTerms {
  /** The tsquery as text ('' when every word is a stop word: nothing matches), or null when the text holds no word. */
  tsquery: string | null;
  /** The words that were corrected, and what they were matched with. */
  corrections: { term: string; alternatives: string[] }[];
}

const MAX_TERMS = 8;
/**
 * How close a catalog word must be to stand in for a word the catalog does not have. pg_trgm's own threshold (0.3)
 * let "payment" become "parent" (0.36); misspellings people make score higher ("gihub" 0.44, "playwrite" 0.5,
 * "filesytem" 0.62).
 */
const MIN_SIMILARITY = 0.4;

/** The text without what cannot be sent or searched: invisible (format) characters go, controls become spaces. */
export function searchableText(text: string): string {
  return text.toWellFormed().replace(/\p{Cf}+/gu, "").replace(/[\p{Cc}\p{Co}\uFFFD]+/gu, " ");
}

export async function correctSearchTerms(sql: Sql, text: string): Promise<SearchTerms> {
  const { rows: split } = await sql.query<{ words: string }>("SELECT catalog_search_words($1) AS words", [searchableText(text)]);
  const terms = split[0]!.words.split(" ").filter(Boolean).slice(0, MAX_TERMS);
  if (terms.length === 0) return { tsquery: null, corrections: [] };
  // Each term is a parameter of its own, so the planner sees its query as a constant, and each "does the catalog have
  // a word beginning with it" is a materialized CTE, planned to be read whole: so the indexes answer it (an EXISTS
  // planned alone expects an early match and reads every row instead, a second at 500,000 tools when there is none).
  // EXISTS then reads one row of it, and a CTE the CASE does not reach is never run.
  const checks = terms.flatMap((_, k) => {
    const term = `$${k + 1}::text`;
    const query = `to_tsquery('english', quote_literal(${term}) || ':*')`;
    return [
      `word_${k} AS MATERIALIZED (SELECT 1 FROM catalog_words w WHERE w.word LIKE ${term} || '%')`,
      `tool_${k} AS MATERIALIZED (SELECT 1 FROM catalog_tool_search ts WHERE ts.search_vector @@ ${query})`,
      `server_${k} AS MATERIALIZED (SELECT 1 FROM catalog_server_search ss WHERE ss.search_vector @@ ${query})`,
    ];
  });
  const expanded = terms
    .map((_, k) => {
      const term = `$${k + 1}::text`;
      return `SELECT ${k + 1} AS i, ${term} AS term,
              CASE WHEN length(${term}) < 4 OR EXISTS (SELECT 1 FROM word_${k})
                        -- A word the catalog's text has (a description's "payment") is what was meant: not corrected.
                        OR EXISTS (SELECT 1 FROM tool_${k}) OR EXISTS (SELECT 1 FROM server_${k})
                   THEN ARRAY[]::text[]
                   ELSE ARRAY(
                     SELECT word FROM (
                       SELECT word, s, max(s) OVER () AS best FROM (
                         SELECT w.word, similarity(w.word, ${term}) AS s
                           FROM catalog_words w
                          WHERE w.word % ${term}
                          ORDER BY s DESC, w.word
                          LIMIT 3
                       ) top
                     ) ranked
                     WHERE s >= best * 0.85 AND s >= ${MIN_SIMILARITY}
                     ORDER BY s DESC, word)
              END AS alternatives`;
    })
    .join("\n UNION ALL ");
  const { rows } = await sql.query<{ tsquery: string; corrections: { term: string; alternatives: string[] }[] | null }>(
    `WITH ${checks.join(",\n")},
     expanded AS (${expanded}),
     -- Each word and each alternative is a query of its own (quoted, so no character of it is read as syntax), joined
     -- through PostgreSQL's own text for them; a stop word gives an empty query and is left out.
     parts AS (
       SELECT e.i, (
         SELECT string_agg('(' || q || ')', ' | ')
           FROM unnest(ARRAY[to_tsquery('english', quote_literal(e.term) || ':*')::text]
                       || ARRAY(SELECT plainto_tsquery('english', a)::text FROM unnest(e.alternatives) a)) AS q
          WHERE q <> '') AS part
         FROM expanded e
     )
     SELECT coalesce((SELECT string_agg('(' || part || ')', ' & ' ORDER BY i) FROM parts WHERE part IS NOT NULL), '') AS tsquery,
            (SELECT json_agg(json_build_object('term', term, 'alternatives', alternatives) ORDER BY i)
               FROM expanded WHERE cardinality(alternatives) > 0) AS corrections`,
    terms,
  );
  const row = rows[0]!;
  return { tsquery: row.tsquery, corrections: row.corrections ?? [] };
}
