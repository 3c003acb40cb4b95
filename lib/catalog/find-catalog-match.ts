import type { Sql } from "@/lib/catalog/catalog-transaction";
import { listedDefinitionHash } from "@/lib/catalog/listed-definition";
import { compareMatches, matchByCounts, type CatalogMatchBasis } from "@/lib/catalog/match-tool-lists";
import type { RiskLevel } from "@/lib/risk/types";
import { isToolDefinition } from "@/lib/servers/tool-definition";

// The catalog entry a registered server is (match-tool-lists.ts says when), and how its live tools differ from the
// catalog's listing: tools only the catalog lists, tools only the live server lists, and tools whose definition
// differs. Definitions are compared by listedDefinitionHash, the hash catalog_tools.definition_sha256 holds.

export interface CatalogMatch {
  catalogServer: { name: string; title: string | null; version: string | null; listedAt: string | null; toolCount: number };
  basis: CatalogMatchBasis;
  /** The serverInfo name both report, when that is the basis. */
  serverInfoName: string | null;
  tools: {
    /** Tools listed the same by both. */
    same: number;
    onlyInCatalog: { name: string; level: RiskLevel }[];
    /** `id` is the registered tool's. */
    onlyLive: { id: string; name: string }[];
    changed: { id: string; name: string; level: RiskLevel }[];
  };
}

/** How many candidates the database hands back to be ranked: more than enough for any real tie. */
const CANDIDATES = 20;

/** The best catalog match of a registered server (of any workspace: the caller checks access), or null. */
export async function findCatalogMatch(sql: Sql, serverId: string): Promise<CatalogMatch | null> {
  const [server, live] = await Promise.all([
    sql.query<{ server_info_name: string | null }>(`SELECT server_info ->> 'name' AS server_info_name FROM mcp_servers WHERE id = $1`, [serverId]),
    sql.query<{ id: string; name: string; definition: unknown }>(
      `SELECT id, name, definition FROM tools WHERE server_id = $1 AND status <> 'removed' ORDER BY name`,
      [serverId],
    ),
  ]);
  const serverInfoName = server.rows[0]?.server_info_name || null;
  const liveNames = live.rows.map((t) => t.name);
  if (!server.rows[0] || liveNames.length === 0) return null;

  // Only entries sharing a tool name can match; the WHERE clause is matchByCounts's rule, to return few rows.
  const { rows: candidates } = await sql.query<{
    id: string;
    name: string;
    title: string | null;
    version: string | null;
    listed_at: Date | null;
    tool_count: number;
    server_info_name: string | null;
    shared: number;
  }>(
    `WITH shared AS (
       SELECT server_id, count(*)::int AS shared
         FROM catalog_tools
        WHERE name = ANY($1::text[]) AND server_status <> 'deleted'
        GROUP BY server_id
     )
     SELECT s.id, s.name, s.title, s.version, s.listed_at, s.tool_count, s.via #>> '{serverInfo,name}' AS server_info_name, sh.shared
       FROM shared sh JOIN catalog_servers s ON s.id = sh.server_id
      WHERE s.tools_sha256 IS NOT NULL AND s.status <> 'deleted'
        AND ((s.via #>> '{serverInfo,name}') = $2 OR (sh.shared * 2 > s.tool_count AND sh.shared * 2 > $3))
      ORDER BY (s.via #>> '{serverInfo,name}') = $2 DESC NULLS LAST, sh.shared DESC, s.tool_count, s.name
      LIMIT ${CANDIDATES}`,
    [liveNames, serverInfoName, liveNames.length],
  );
  const ranked = candidates
    .flatMap((c) => {
      const match = matchByCounts({
        shared: c.shared,
        liveTools: liveNames.length,
        catalogTools: c.tool_count,
        sameServerInfo: serverInfoName !== null && c.server_info_name === serverInfoName,
      });
      return match ? [{ ...match, catalogTools: c.tool_count, liveTools: liveNames.length, candidate: c }] : [];
    })
    .sort((a, b) => compareMatches(a, b) || (a.candidate.name < b.candidate.name ? -1 : 1));
  const best = ranked[0];
  if (!best) return null;

  const { rows: catalogTools } = await sql.query<{ name: string; level: RiskLevel; definition_sha256: string }>(
    `SELECT name, level, definition_sha256 FROM catalog_tools WHERE server_id = $1 ORDER BY name`,
    [best.candidate.id],
  );
  const liveByName = new Map(live.rows.map((t) => [t.name, t]));
  const tools: CatalogMatch["tools"] = { same: 0, onlyInCatalog: [], onlyLive: [], changed: [] };
  for (const catalogTool of catalogTools) {
    const liveTool = liveByName.get(catalogTool.name);
    if (!liveTool) tools.onlyInCatalog.push({ name: catalogTool.name, level: catalogTool.level });
    else if (isToolDefinition(liveTool.definition) && listedDefinitionHash(liveTool.definition) === catalogTool.definition_sha256) tools.same += 1;
    else tools.changed.push({ id: liveTool.id, name: liveTool.name, level: catalogTool.level });
  }
  const catalogNames = new Set(catalogTools.map((t) => t.name));
  for (const liveTool of live.rows) if (!catalogNames.has(liveTool.name)) tools.onlyLive.push({ id: liveTool.id, name: liveTool.name });

  const c = best.candidate;
  return {
    catalogServer: { name: c.name, title: c.title, version: c.version, listedAt: c.listed_at?.toISOString() ?? null, toolCount: c.tool_count },
    basis: best.basis,
    serverInfoName: best.basis === "server-info" ? serverInfoName : null,
    tools,
  };
}
