// The shapes the risk classifier reads and writes. Inputs mirror MCP's `tools/list` result; they come from remote
// servers, so the classifier treats every field as possibly missing or mistyped even though the types say otherwise.

export const RISK_CATEGORIES = [
  "read",
  "write",
  "execute",
  "destructive",
  "financial",
  "communication",
  "access_control",
] as const;

export type RiskCategory = (typeof RISK_CATEGORIES)[number];

/** Lowest to highest: the order is used for comparisons, so keep it. */
export const RISK_LEVELS = ["low", "medium", "high", "critical"] as const;

export type RiskLevel = (typeof RISK_LEVELS)[number];

/** MCP tool annotations: hints a server declares about its own tool. They are claims, not proof. */
export interface McpToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** The JSON Schema subset the classifier looks at: argument names, their types and descriptions. */
export interface McpJsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, McpJsonSchema>;
  items?: McpJsonSchema;
  required?: string[];
  [keyword: string]: unknown;
}

/** One tool as listed by an MCP server's `tools/list`. */
export interface McpToolDefinition {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: McpJsonSchema;
  outputSchema?: McpJsonSchema;
  annotations?: McpToolAnnotations;
}

/** What we know about the server a tool comes from: its purpose raises or explains a tool's risk. */
export interface ServerContext {
  name?: string;
  description?: string;
  /** Names of the other tools on the same server (the tool's own name may be included). */
  siblingToolNames?: readonly string[];
}

export interface RiskClassification {
  name: string;
  category: RiskCategory;
  level: RiskLevel;
  /** Short sentences, each naming the signal that produced it; never empty. */
  reasons: string[];
}

export type RateWindow = "second" | "minute" | "hour" | "day";

/** A rule of the v1 policy document, as far as the classifier recommends one (no argument constraints). */
export interface RecommendedRule {
  action?: "allow" | "deny" | "require_approval";
  reason?: string;
  limits?: { counter: string; window: RateWindow; max: number; scope: "grant" | "server" }[];
}

/** A whole v1 policy document holding the recommended rule for one tool. */
export interface RecommendedPolicyDocument {
  version: "1";
  default: "deny" | "allow";
  tools: Record<string, RecommendedRule>;
}
