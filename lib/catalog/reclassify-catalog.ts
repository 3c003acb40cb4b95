import type pg from "pg";
import { inCatalogTransaction, type Sql } from "@/lib/catalog/catalog-transaction";
import { classifyCatalogTools, type CatalogToolDefinition } from "@/lib/catalog/classify-catalog-tools";
import { refreshServerSummaries } from "@/lib/catalog/refresh-server-summaries";
import { CLASSIFIER_VERSION } from "@/lib/risk/version";

// When the classifier changes (CLASSIFIER_VERSION), the stored classifications are recomputed from the stored
// definitions, server by server (a tool is judged with its siblings), and written back many rows per statement.

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
    let count = 0;
    const flush = async () => {
      if (updates.length === 0) return;
      await sql.query(
        `UPDATE catalog_tools t SET level = x.level, category = x.category, reasons = x.reasons, classifier_version = $2
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, level text, category text, reasons jsonb)
          WHERE t.id = x.id`,
        [JSON.stringify(updates), version],
      );
      count += updates.length;
      updates = [];
    };
    for (const server of servers) {
      const { rows: tools } = await sql.query<CatalogToolDefinition & { id: string }>(
        `SELECT id, name, title, description, input_schema AS "inputSchema", output_schema AS "outputSchema", annotations
           FROM catalog_tools WHERE server_id = $1 ORDER BY name`,
        [server.id],
      );
      const risks = classifyCatalogTools(tools, server);
      for (const tool of tools) {
        const risk = risks.get(tool.name)!;
        updates.push({ id: tool.id, level: risk.level, category: risk.category, reasons: risk.reasons });
      }
      if (updates.length >= UPDATE_CHUNK) await flush();
    }
    await flush();
    if (servers.length > 0) {
      await refreshServerSummaries(sql, servers.map((s) => s.id));
      await sql.query(
        `INSERT INTO catalog_runs (kind, source, classifier_version, status, counts, started_at, finished_at)
         VALUES ('reclassify', 'catalog_tools', $1, 'ok', $2, $3, clock_timestamp())`,
        [version, JSON.stringify({ servers: servers.length, tools: count }), startedAt],
      );
    }
    return count;
  });
}
