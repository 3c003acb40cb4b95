import type { Sql } from "@/lib/catalog/catalog-transaction";
import { findCatalogServer } from "@/lib/catalog/get-catalog-server";
import { recommendCatalogPolicy } from "@/lib/catalog/recommend-catalog-policy";
import { ApiError } from "@/lib/http/api-error";
import { unstorableReason } from "@/lib/json/storable-text";
import type { RiskCategory, RiskLevel } from "@/lib/risk/types";

// The rule the catalog recommends for one tool, and no more: what the policy editor needs to put it in a draft.
// The tool page's own read (get-catalog-tool.ts) also finds related tools, which the editor has no use for.

export interface CatalogToolRule {
  server: { name: string; title: string | null };
  tool: string;
  level: RiskLevel;
  category: RiskCategory;
  rule: Record<string, unknown>;
}

export async function getCatalogToolRule(sql: Sql, serverName: string, toolName: string): Promise<CatalogToolRule> {
  const server = await findCatalogServer(sql, serverName);
  const { rows } =
    unstorableReason(toolName) !== null
      ? { rows: [] }
      : await sql.query<{ name: string; level: RiskLevel; category: RiskCategory }>(
          `SELECT name, level, category FROM catalog_tools WHERE server_id = $1 AND name = $2`,
          [server.id, toolName],
        );
  const tool = rows[0];
  if (!tool) throw new ApiError(404, "catalog_tool_not_found", `${server.name} has no tool named ${JSON.stringify(toolName)} in the catalog.`);
  return {
    server: { name: server.name, title: server.title },
    tool: tool.name,
    level: tool.level,
    category: tool.category,
    rule: recommendCatalogPolicy(tool).rule,
  };
}
