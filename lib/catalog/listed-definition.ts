import { definitionHash, type ToolDefinition } from "@/lib/servers/tool-definition";

// The part of a tool's definition the catalog hashes: the fields every listing has had since the first MCP
// revision. Newer fields (execution, icons, _meta) are left out, so a catalog listing made by one SDK compares
// equal with a live server listed by another that adds them. A registered server's own definitionHash covers
// everything it sends; to compare a live tool with the catalog, hash it with listedDefinitionHash instead.

export const LISTED_TOOL_KEYS = ["name", "title", "description", "inputSchema", "outputSchema", "annotations"] as const;

export function listedDefinition(raw: Record<string, unknown> & { name: string }): ToolDefinition {
  const listed: ToolDefinition = { name: raw.name };
  for (const key of LISTED_TOOL_KEYS) if (key !== "name" && raw[key] !== undefined) listed[key] = raw[key];
  return listed;
}

/** SHA-256 of the canonical JSON of the listed fields: what catalog_tools.definition_sha256 holds. */
export function listedDefinitionHash(raw: Record<string, unknown> & { name: string }): string {
  return definitionHash(listedDefinition(raw));
}
