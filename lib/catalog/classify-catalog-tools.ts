import type { RiskClassification } from "@/lib/risk/types";
import { classifyDefinitions } from "@/lib/servers/classify-definitions";
import type { ToolDefinition } from "@/lib/servers/tool-definition";

// A catalog server's tools are classified as a registered server's are (lib/servers/classify-definitions.ts): all
// together, with the server's name, title and description in view. The definitions are the cleaned ones stored, so
// a recomputation later gives what a load would.

export interface CatalogToolDefinition {
  name: string;
  title: string | null;
  description: string | null;
  inputSchema: unknown;
  outputSchema: unknown;
  annotations: unknown;
}

export interface CatalogServerContext {
  name: string;
  title: string | null;
  description: string | null;
  via: unknown;
}

export function classifyCatalogTools(tools: readonly CatalogToolDefinition[], server: CatalogServerContext): Map<string, RiskClassification> {
  const definitions: ToolDefinition[] = tools.map((tool) => {
    const definition: ToolDefinition = { name: tool.name, inputSchema: tool.inputSchema ?? { type: "object" } };
    if (tool.title) definition.title = tool.title;
    if (tool.description) definition.description = tool.description;
    if (tool.outputSchema) definition.outputSchema = tool.outputSchema;
    if (tool.annotations) definition.annotations = tool.annotations;
    return definition;
  });
  const serverInfo = (server.via as { serverInfo?: { name?: unknown } } | null)?.serverInfo;
  return classifyDefinitions(definitions, {
    name: server.name,
    serverInfo: { title: server.title ?? undefined, name: typeof serverInfo?.name === "string" ? serverInfo.name : undefined },
    instructions: server.description,
  });
}
