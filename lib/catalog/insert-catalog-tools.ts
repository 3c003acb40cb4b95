import type { CheckedTool } from "@/lib/catalog/check-tool";
import type { Sql } from "@/lib/catalog/catalog-transaction";
import { TOOL_VECTOR_SQL } from "@/lib/catalog/catalog-sql";
import type { RiskClassification } from "@/lib/risk/types";

// Tools are written many rows per statement (one JSON parameter unpacked by jsonb_to_recordset), never one statement
// per tool: a snapshot of thousands of tools is a handful of round trips.

export interface ToolRow {
  serverName: string;
  tool: CheckedTool;
  risk: RiskClassification;
  classifierVersion: number;
}

/** Rows per statement: keeps each parameter to a few megabytes. */
const CHUNK = 2_000;

export async function insertCatalogTools(sql: Sql, rows: readonly ToolRow[]): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK).map(({ serverName, tool, risk, classifierVersion }) => ({
      server_name: serverName,
      name: tool.name,
      title: tool.title,
      description: tool.description,
      input_schema: tool.inputSchema,
      output_schema: tool.outputSchema,
      annotations: tool.annotations,
      argument_names: tool.argumentNames,
      definition_sha256: tool.definitionSha256,
      level: risk.level,
      category: risk.category,
      reasons: risk.reasons,
      classifier_version: classifierVersion,
      issues: tool.issues,
    }));
    const { rowCount } = await sql.query(
      `INSERT INTO catalog_tools (server_id, name, title, description, input_schema, output_schema, annotations, argument_names,
                                  definition_sha256, level, category, reasons, classifier_version, issues,
                                  server_name, server_status, transports, registry_types, search_vector)
       SELECT s.id, x.name, x.title, x.description, x.input_schema, x.output_schema, x.annotations, x.argument_names,
              x.definition_sha256, x.level, x.category, x.reasons, x.classifier_version, x.issues,
              s.name, s.status, s.transports, s.registry_types, ${TOOL_VECTOR_SQL("x", "s")}
         FROM jsonb_to_recordset($1::jsonb) AS x(server_name text, name text, title text, description text, input_schema jsonb,
              output_schema jsonb, annotations jsonb, argument_names text[], definition_sha256 text, level text, category text,
              reasons jsonb, classifier_version int, issues jsonb)
         JOIN catalog_servers s ON s.name = x.server_name`,
      [JSON.stringify(chunk)],
    );
    inserted += rowCount ?? 0;
  }
  return inserted;
}
