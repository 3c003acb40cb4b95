import type { Sql } from "@/lib/catalog/catalog-transaction";

// The words search corrects misspelt terms to: those of servers' short names, titles and repositories (owner and
// name: catalog_server_name_words, without the namespace, as search words are), tool names and titles, and argument
// names (descriptions are left out: their words are many and rarely what people type). Numbers are left out
// too: no misspelt word is meant as one, and the digits in servers' names can be most of the list (each word costs a
// similarity computation when a term is corrected; a number searched for is still found, in the search vectors).

const WORDS_SQL = `
  SELECT DISTINCT w FROM (
    SELECT regexp_split_to_table(catalog_server_name_words(name, title, repository_url), ' ') FROM catalog_servers
    UNION ALL
    SELECT regexp_split_to_table(catalog_search_words(name || ' ' || coalesce(title, '') || ' ' || array_to_string(argument_names, ' ')), ' ')
      FROM catalog_tools
  ) AS words(w)
  WHERE length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9]+$'`;

/** Rebuilds the word list from the whole catalog (after a snapshot load). */
export async function rebuildCatalogWords(sql: Sql): Promise<void> {
  await sql.query("DELETE FROM catalog_words");
  await sql.query(`INSERT INTO catalog_words (word) ${WORDS_SQL}`);
}

/** Adds the words of some servers (after an import), keeping the rest. */
export async function addCatalogWords(sql: Sql, serverIds: string[]): Promise<void> {
  if (serverIds.length === 0) return;
  await sql.query(
    `INSERT INTO catalog_words (word)
     SELECT DISTINCT w FROM catalog_servers, regexp_split_to_table(catalog_server_name_words(name, title, repository_url), ' ') AS w
      WHERE id = ANY($1::uuid[]) AND length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9]+$'
     ON CONFLICT (word) DO NOTHING`,
    [serverIds],
  );
}
