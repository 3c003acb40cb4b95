import type { Sql } from "@/lib/catalog/catalog-transaction";
import { catalogServerView, findCatalogServer } from "@/lib/catalog/get-catalog-server";
import type { CatalogIssue } from "@/lib/catalog/issues";
import { recommendCatalogPolicy } from "@/lib/catalog/recommend-catalog-policy";
import { ApiError } from "@/lib/http/api-error";
import { unstorableReason } from "@/lib/json/storable-text";
import type { RiskCategory, RiskLevel } from "@/lib/risk/types";
import { classifierRelease } from "@/lib/risk/version";

// One tool of a catalog server: its definition as listed (untrusted text, returned as data), its risk and the
// classifier's reasons, the level or category a new classifier moved, the rule we recommend, the server's other
// tools, and tools like it on other servers (the same name, or a name close by trigram similarity).

const SIMILAR_LIMIT = 12;
/**
 * The trigram similarity a close name needs (0.3, pg_trgm's default), and the higher ones tried first: when a threshold
 * already gives SIMILAR_LIMIT tools they are the closest ones, the same as the lowest would give. Each step reads the
 * index again (5-8 ms at the median even at 0.7 or 0.6, for the posting lists of common trigrams such as "get"), and
 * a lower threshold costs more (0.5: 12 ms, 0.4: 23 ms, 0.3: 54 ms at the median, rechecking every name that shares
 * a common start such as "create_"). Measured per step on bench:catalog's 500,000 tools (scripts/bench-catalog.ts,
 * 500 sampled tools): most names fill the list at 0.6, most of the rest at 0.5. Six steps from 0.8 gave this search a
 * p95 of 29 ms; 0.6/0.4/0.3 21 ms; these four 19 ms (0.5/0.3 23 ms, 0.7/0.5/0.3 27 ms).
 */
const SIMILARITY_THRESHOLDS = [0.6, 0.5, 0.4, 0.3];

export async function getCatalogTool(sql: Sql, serverName: string, toolName: string) {
  const server = await findCatalogServer(sql, serverName);
  const { rows } = unstorableReason(toolName) !== null ? { rows: [] } : await sql.query<{
    name: string;
    title: string | null;
    description: string | null;
    input_schema: Record<string, unknown>;
    output_schema: Record<string, unknown> | null;
    annotations: Record<string, unknown> | null;
    argument_names: string[] | null;
    definition_sha256: string;
    level: RiskLevel;
    category: RiskCategory;
    reasons: string[];
    classifier_version: number;
    issues: CatalogIssue[];
  }>(
    `SELECT name, title, description, input_schema, output_schema, annotations, argument_names, definition_sha256, level, category,
            reasons, classifier_version, issues
       FROM catalog_tools WHERE server_id = $1 AND name = $2`,
    [server.id, toolName],
  );
  const tool = rows[0];
  if (!tool) {
    throw new ApiError(
      404,
      "catalog_tool_not_found",
      `${server.name} has no tool named ${JSON.stringify(toolName)} in the catalog${server.tools_sha256 ? "" : " (its tools are not listed yet)"}. GET /api/v1/catalog/servers/{name} lists the tools it has.`,
    );
  }
  const [siblings, similar, reclassification] = await Promise.all([
    sql.query<{ name: string; level: RiskLevel; category: RiskCategory }>(
      `SELECT name, level, category FROM catalog_tools WHERE server_id = $1 AND name <> $2 ORDER BY name`,
      [server.id, tool.name],
    ),
    similarTools(sql, server.id, tool.name),
    latestReclassification(sql, server.id, tool),
  ]);
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.input_schema,
    outputSchema: tool.output_schema,
    annotations: tool.annotations,
    argumentNames: tool.argument_names ?? [],
    definitionSha256: tool.definition_sha256,
    level: tool.level,
    category: tool.category,
    reasons: tool.reasons,
    classifierVersion: tool.classifier_version,
    reclassification,
    issues: tool.issues,
    recommendation: recommendCatalogPolicy(tool),
    server: catalogServerView(server),
    otherTools: siblings.rows,
    similarTools: similar.map((r) => ({
      name: r.name,
      sameName: r.same_name,
      level: r.level,
      category: r.category,
      server: { name: r.server_name, title: r.server_title },
    })),
  };
}

/**
 * The newest record of a classifier moving this tool's level or category, while it still describes the tool: the
 * same definition, and the level and category it gave are the ones stored now.
 */
async function latestReclassification(
  sql: Sql,
  serverId: string,
  tool: { name: string; definition_sha256: string; level: RiskLevel; category: RiskCategory },
) {
  const { rows } = await sql.query<{
    before_level: RiskLevel;
    before_category: RiskCategory;
    before_classifier_version: number;
    classifier_version: number;
    changed_at: Date;
  }>(
    `SELECT before_level, before_category, before_classifier_version, classifier_version, changed_at
       FROM catalog_tool_changes
      WHERE server_id = $1 AND tool_name = $2 AND definition_sha256 = $3 AND level = $4 AND category = $5
      ORDER BY changed_at DESC, id LIMIT 1`,
    [serverId, tool.name, tool.definition_sha256, tool.level, tool.category],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    before: { level: row.before_level, category: row.before_category, classifierVersion: row.before_classifier_version },
    after: { level: tool.level, category: tool.category, classifierVersion: row.classifier_version },
    classifierRelease: classifierRelease(row.classifier_version),
    changedAt: row.changed_at.toISOString(),
  };
}

interface SimilarTool {
  name: string;
  server_name: string;
  server_title: string | null;
  level: RiskLevel;
  category: RiskCategory;
  same_name: boolean;
}

/** The columns a similar tool is shown with, over `t` (catalog_tools) and `s` (its server). */
const SIMILAR_COLUMNS = `t.name, t.server_name, s.title AS server_title, t.level, t.category`;

/**
 * Tools of other servers with this name or a close one: the same name first (by server name), then the closest
 * names (trigram similarity over the distinct names, then each name's tools from the b-tree on name and server).
 * Names are repeated across servers, so for about half of the tools the same name alone fills the list and no
 * trigram search runs (it costs 5-10 ms even at the highest threshold, reading the posting lists of common trigrams
 * such as "get" and "cre"); a name without trigrams (punctuation only) still finds its namesakes.
 */
async function similarTools(sql: Sql, serverId: string, name: string): Promise<SimilarTool[]> {
  const { rows: same } = await sql.query<SimilarTool>(
    `SELECT ${SIMILAR_COLUMNS}, true AS same_name
       FROM catalog_tools t JOIN catalog_servers s ON s.id = t.server_id
      WHERE t.name = $2 AND t.server_id <> $1 AND t.server_status <> 'deleted'
      ORDER BY t.server_name LIMIT ${SIMILAR_LIMIT}`,
    [serverId, name],
  );
  const wanted = SIMILAR_LIMIT - same.length;
  if (wanted === 0) return same;
  let close: SimilarTool[] = [];
  for (const threshold of SIMILARITY_THRESHOLDS) {
    const { rows } = await sql.query<SimilarTool>(
      `WITH close AS (
         SELECT close_name AS name, close_similarity AS similarity FROM catalog_close_tool_names($2, $3) WHERE close_name <> $2
       ),
       tools AS (
         SELECT c.name, c.similarity, t.server_name, t.server_id
           FROM close c
           CROSS JOIN LATERAL (
             SELECT t.server_name, t.server_id FROM catalog_tools t
              WHERE t.name = c.name AND t.server_id <> $1 AND t.server_status <> 'deleted'
              ORDER BY t.server_name LIMIT ${wanted}
           ) t
          ORDER BY c.similarity DESC, t.server_name, c.name
          LIMIT ${wanted}
       )
       SELECT ${SIMILAR_COLUMNS}, false AS same_name
         FROM tools x
         JOIN catalog_tools t ON t.server_id = x.server_id AND t.name = x.name
         JOIN catalog_servers s ON s.id = x.server_id
        ORDER BY x.similarity DESC, x.server_name, x.name`,
      [serverId, name, threshold],
    );
    close = rows;
    if (close.length >= wanted) break;
  }
  return [...same, ...close];
}
