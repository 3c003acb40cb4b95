import type pg from "pg";
import { inCatalogTransaction, type Sql } from "@/lib/catalog/catalog-transaction";
import { classifyCatalogTools, type CatalogToolDefinition } from "@/lib/catalog/classify-catalog-tools";
import { rebuildCatalogSearch } from "@/lib/catalog/refresh-catalog-search";
import { refreshServerSummaries } from "@/lib/catalog/refresh-server-summaries";
import { CLASSIFIER_VERSION } from "@/lib/risk/version";

// When the classifier changes (CLASSIFIER_VERSION), the stored classifications are recomputed from the stored
// definitions, server by server (a tool is judged with its siblings), and written back many rows per statement. A
// tool whose level or category moved gets a record in catalog_tool_changes, which its page shows.

/** Whether any tool was classified by another version. Two range conditions, so the index answers it at any size. */
export async function hasStaleClassifications(sql: Sql, version = CLASSIFIER_VERSION): Promise<boolean> {
  const { rows } = await sql.query<{ stale: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM catalog_tools WHERE classifier_version < $1 OR classifier_version > $1) AS stale`,
    [version],
  );
  return rows[0]!.stale;
}

const UPDATE_CHUNK = 2_000;

/** Returns how many tools were reclassified. */
export async function reclassifyCatalog(client: pg.ClientBase, version = CLASSIFIER_VERSION): Promise<number> {
  const startedAt = new Date();
  return inCatalogTransaction(client, async (sql) => {
    const { rows: servers } = await sql.query<{ id: string; name: string; title: string | null; description: string | null; via: unknown }>(
      `SELECT id, name, title, description, via FROM catalog_servers s
        WHERE EXISTS (SELECT 1 FROM catalog_tools t WHERE t.server_id = s.id AND (t.classifier_version < $1 OR t.classifier_version > $1))`,
      [version],
    );
    let updates: { id: string; level: string; category: string; reasons: string[] }[] = [];
    let changes: ChangeRow[] = [];
    let count = 0;
    const flush = async () => {
      if (updates.length === 0) return;
      await sql.query(
        `UPDATE catalog_tools t SET level = x.level, category = x.category, reasons = x.reasons, classifier_version = $2
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, level text, category text, reasons jsonb)
          WHERE t.id = x.id`,
        [JSON.stringify(updates), version],
      );
      if (changes.length > 0) await recordChanges(sql, changes, version);
      count += updates.length;
      updates = [];
      changes = [];
    };
    for (const server of servers) {
      const { rows: tools } = await sql.query<CatalogToolDefinition & StoredRisk & { id: string }>(
        `SELECT id, name, title, description, input_schema AS "inputSchema", output_schema AS "outputSchema", annotations,
                definition_sha256 AS "definitionSha256", level, category, classifier_version AS "classifierVersion"
           FROM catalog_tools WHERE server_id = $1 ORDER BY name`,
        [server.id],
      );
      const risks = classifyCatalogTools(tools, server);
      for (const tool of tools) {
        const risk = risks.get(tool.name)!;
        updates.push({ id: tool.id, level: risk.level, category: risk.category, reasons: risk.reasons });
        // Only a tool another version judged was moved by the classifier's change, and so gets a record.
        const moved = risk.level !== tool.level || risk.category !== tool.category;
        if (moved && tool.classifierVersion !== version) changes.push({ server_id: server.id, tool_name: tool.name, ...beforeAndAfter(tool, risk) });
      }
      if (updates.length >= UPDATE_CHUNK) await flush();
    }
    await flush();
    if (servers.length > 0) {
      await refreshServerSummaries(sql, servers.map((s) => s.id));
      // Levels and categories moved: every search row is rewritten at once (cheaper than moving most of them).
      await rebuildCatalogSearch(sql);
      await sql.query(
        `INSERT INTO catalog_runs (kind, source, classifier_version, status, counts, started_at, finished_at)
         VALUES ('reclassify', 'catalog_tools', $1, 'ok', $2, $3, clock_timestamp())`,
        [version, JSON.stringify({ servers: servers.length, tools: count }), startedAt],
      );
    }
    return count;
  });
}

interface StoredRisk {
  definitionSha256: string;
  level: string;
  category: string;
  classifierVersion: number;
}

interface ChangeRow {
  server_id: string;
  tool_name: string;
  definition_sha256: string;
  before_level: string;
  before_category: string;
  before_classifier_version: number;
  level: string;
  category: string;
}

function beforeAndAfter(tool: StoredRisk, risk: { level: string; category: string }): Omit<ChangeRow, "server_id" | "tool_name"> {
  return {
    definition_sha256: tool.definitionSha256,
    before_level: tool.level,
    before_category: tool.category,
    before_classifier_version: tool.classifierVersion,
    level: risk.level,
    category: risk.category,
  };
}

async function recordChanges(sql: Sql, changes: readonly ChangeRow[], version: number): Promise<void> {
  await sql.query(
    `INSERT INTO catalog_tool_changes (server_id, tool_name, definition_sha256, before_level, before_category, before_classifier_version,
                                       level, category, classifier_version)
     SELECT x.server_id, x.tool_name, x.definition_sha256, x.before_level, x.before_category, x.before_classifier_version,
            x.level, x.category, $2
       FROM jsonb_to_recordset($1::jsonb) AS x(server_id uuid, tool_name text, definition_sha256 text, before_level text,
            before_category text, before_classifier_version int, level text, category text)`,
    [JSON.stringify(changes), version],
  );
}
