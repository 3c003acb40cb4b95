import type { Sql } from "@/lib/catalog/catalog-transaction";
import type { CatalogIssue } from "@/lib/catalog/issues";
import { ApiError } from "@/lib/http/api-error";
import { unstorableReason } from "@/lib/json/storable-text";
import type { RiskCategory, RiskLevel } from "@/lib/risk/types";

// A catalog server by its registry name, with every tool's risk: what a server's page shows. Deleted servers are
// still answered (with their status), so a link kept from before says what happened to them.

export function catalogServerNotFound(name: string): ApiError {
  return new ApiError(
    404,
    "catalog_server_not_found",
    `The catalog has no server named ${JSON.stringify(name)}. Names are the registry's (io.github.owner/server, "/" encoded as %2F in the URL); search for it with GET /api/v1/catalog/search?type=servers&q=...`,
  );
}

export interface CatalogServerRow {
  id: string;
  name: string;
  title: string | null;
  description: string | null;
  version: string | null;
  repository_url: string | null;
  website_url: string | null;
  packages: Record<string, unknown>[];
  remotes: Record<string, unknown>[];
  transports: string[] | null;
  registry_types: string[] | null;
  status: string;
  status_message: string | null;
  source: string;
  registry_url: string | null;
  registry_updated_at: Date | null;
  listed_at: Date | null;
  via: Record<string, unknown> | null;
  tools_sha256: string | null;
  tool_count: number;
  max_level: RiskLevel | null;
  issues: CatalogIssue[];
  updated_at: Date;
}

export async function findCatalogServer(sql: Sql, name: string): Promise<CatalogServerRow> {
  // No name the catalog holds has a character PostgreSQL cannot take (U+0000, a lone surrogate): such a name is unknown.
  if (unstorableReason(name) !== null) throw catalogServerNotFound(name);
  const { rows } = await sql.query<CatalogServerRow>(
    `SELECT id, name, title, description, version, repository_url, website_url, packages, remotes, transports, registry_types,
            status, status_message, source, registry_url, registry_updated_at, listed_at, via, tools_sha256, tool_count,
            max_level, issues, updated_at
       FROM catalog_servers WHERE name = $1`,
    [name],
  );
  if (!rows[0]) throw catalogServerNotFound(name);
  return rows[0];
}

/** The parts of a server every catalog answer shows. */
export function catalogServerView(row: CatalogServerRow) {
  return {
    name: row.name,
    title: row.title,
    description: row.description,
    version: row.version,
    repositoryUrl: row.repository_url,
    websiteUrl: row.website_url,
    packages: row.packages,
    remotes: row.remotes,
    transports: row.transports ?? [],
    registryTypes: row.registry_types ?? [],
    status: row.status as "active" | "deprecated" | "deleted",
    statusMessage: row.status_message,
    source: row.source === "snapshot" ? ("snapshot" as const) : ("registry" as const),
    registryUrl: row.registry_url,
    listing: row.tools_sha256
      ? { listedAt: row.listed_at?.toISOString() ?? null, toolsSha256: row.tools_sha256, via: row.via }
      : null,
    toolCount: row.tool_count,
    maxLevel: row.max_level,
    issues: row.issues,
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function getCatalogServer(sql: Sql, name: string) {
  const server = await findCatalogServer(sql, name);
  const { rows: tools } = await sql.query<{
    name: string;
    title: string | null;
    description: string | null;
    level: RiskLevel;
    category: RiskCategory;
    reasons: string[];
    argument_names: string[] | null;
    annotations: Record<string, unknown> | null;
    issues: CatalogIssue[];
  }>(
    `SELECT name, title, description, level, category, reasons, argument_names, annotations, issues
       FROM catalog_tools WHERE server_id = $1
      ORDER BY array_position(ARRAY['critical','high','medium','low'], level), name`,
    [server.id],
  );
  const counts: Record<RiskLevel, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  for (const tool of tools) counts[tool.level] += 1;
  return {
    ...catalogServerView(server),
    toolCountsByLevel: counts,
    tools: tools.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      level: t.level,
      category: t.category,
      reasons: t.reasons,
      argumentNames: t.argument_names ?? [],
      annotations: t.annotations,
      issues: t.issues,
    })),
  };
}
