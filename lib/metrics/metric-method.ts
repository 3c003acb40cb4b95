import { MCP_METHODS } from "@/lib/mcp/mcp-methods";

// Method labels come from a closed list, so a client inventing method names cannot grow the metrics without bound.
const LABELLED = new Set<string>([...MCP_METHODS, "GET", "DELETE"]);

/** The `method` label of a message: a known MCP method, GET or DELETE, else "other". */
export function metricMethod(method: string | null): string {
  return method !== null && LABELLED.has(method) ? method : "other";
}
