import { classifyTools } from "@/lib/risk";
import type { McpToolDefinition, RiskClassification } from "@/lib/risk/types";
import type { ToolDefinition } from "@/lib/servers/tool-definition";

/** Classifies a server's tools together, so each one is judged with its server's purpose and siblings in view. */
export function classifyDefinitions(
  definitions: ToolDefinition[],
  server: { name: string; serverInfo?: { name?: string; title?: string } | null; instructions?: string | null },
): Map<string, RiskClassification> {
  const context = {
    name: [server.name, server.serverInfo?.title, server.serverInfo?.name].filter(Boolean).join(" "),
    description: server.instructions ?? undefined,
  };
  const results = classifyTools(definitions as unknown as McpToolDefinition[], context);
  return new Map(results.map((r) => [r.name, r]));
}
