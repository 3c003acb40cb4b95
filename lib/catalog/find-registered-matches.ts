import type { Sql } from "@/lib/catalog/catalog-transaction";
import { catalogServerView, findCatalogServer } from "@/lib/catalog/get-catalog-server";
import { compareMatches, matchToolLists, type CatalogMatchBasis } from "@/lib/catalog/match-tool-lists";
import { ApiError } from "@/lib/http/api-error";
import { isPlainObject } from "@/lib/json/is-plain-object";

// For "Use this policy" on a catalog tool: the servers of a workspace that are that catalog server (by the rule in
// match-tool-lists.ts), best first, and the other servers that list a tool of the same name (the rule is about the
// name, so it applies there too, though they are not the same server).

export interface RegisteredMatches {
  catalogServer: ReturnType<typeof catalogServerView>;
  tool: string;
  matches: { id: string; name: string; basis: CatalogMatchBasis; listsTool: boolean }[];
  othersListingTool: { id: string; name: string }[];
}

export async function findRegisteredMatches(sql: Sql, workspaceId: string, catalogServerName: string, toolName: string): Promise<RegisteredMatches> {
  const catalog = await findCatalogServer(sql, catalogServerName);
  const [catalogTools, servers] = await Promise.all([
    sql.query<{ name: string }>(`SELECT name FROM catalog_tools WHERE server_id = $1`, [catalog.id]),
    sql.query<{ id: string; name: string; server_info_name: string | null; tool_names: string[] }>(
      `SELECT s.id, s.name, s.server_info ->> 'name' AS server_info_name, array_agg(t.name) AS tool_names
         FROM mcp_servers s JOIN tools t ON t.server_id = s.id AND t.status <> 'removed'
        WHERE s.workspace_id = $1
        GROUP BY s.id
        ORDER BY s.name`,
      [workspaceId],
    ),
  ]);
  const catalogNames = catalogTools.rows.map((t) => t.name);
  if (!catalogNames.includes(toolName)) {
    throw new ApiError(404, "catalog_tool_not_found", `${catalog.name} has no tool named ${JSON.stringify(toolName)} in the catalog.`);
  }
  const info = catalog.via?.serverInfo;
  const catalogSide = { serverInfoName: isPlainObject(info) && typeof info.name === "string" ? info.name : null, toolNames: catalogNames };

  const matched: (RegisteredMatches["matches"][number] & Parameters<typeof compareMatches>[0])[] = [];
  const othersListingTool: RegisteredMatches["othersListingTool"] = [];
  for (const server of servers.rows) {
    const listsTool = server.tool_names.includes(toolName);
    const match = matchToolLists({ serverInfoName: server.server_info_name || null, toolNames: server.tool_names }, catalogSide);
    if (match) {
      matched.push({ id: server.id, name: server.name, listsTool, ...match, catalogTools: catalogNames.length, liveTools: server.tool_names.length });
    } else if (listsTool) {
      othersListingTool.push({ id: server.id, name: server.name });
    }
  }
  // A matched server that lists the tool comes before one that does not, then the better match.
  matched.sort((a, b) => Number(b.listsTool) - Number(a.listsTool) || compareMatches(a, b) || (a.name < b.name ? -1 : 1));
  return {
    catalogServer: catalogServerView(catalog),
    tool: toolName,
    matches: matched.map(({ id, name, basis, listsTool }) => ({ id, name, basis, listsTool })),
    othersListingTool,
  };
}
