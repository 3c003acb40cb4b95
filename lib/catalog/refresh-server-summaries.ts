import type { Sql } from "@/lib/catalog/catalog-transaction";
import { LEVELS_SQL, SERVER_VECTOR_SQL } from "@/lib/catalog/catalog-sql";

/**
 * What a server's row says about its tools (how many, the riskiest level, their categories) and its search vector
 * (which includes the tools' names), recomputed after its tools changed. `serverIds` null: every server.
 */
export async function refreshServerSummaries(sql: Sql, serverIds: string[] | null): Promise<void> {
  await sql.query(
    `UPDATE catalog_servers s
        SET tool_count = coalesce(t.tool_count, 0),
            max_level = t.max_level,
            categories = coalesce(t.categories, ARRAY[]::text[]),
            search_vector = ${SERVER_VECTOR_SQL("s", "t.tool_names")}
       FROM catalog_servers s2
       LEFT JOIN LATERAL (
         SELECT count(*)::int AS tool_count,
                (${LEVELS_SQL})[max(array_position(${LEVELS_SQL}, level))] AS max_level,
                array_agg(DISTINCT category ORDER BY category) AS categories,
                string_agg(name, ' ') AS tool_names
           FROM catalog_tools WHERE server_id = s2.id
       ) t ON true
      WHERE s.id = s2.id AND ($1::uuid[] IS NULL OR s2.id = ANY($1::uuid[]))`,
    [serverIds],
  );
}
