// MCP's behaviour hints, in the console's words. They are what the server claims, not what the tool does.

export const ANNOTATION_HINTS = [
  { key: "readOnlyHint", label: "Read-only", meaning: "it does not change anything" },
  { key: "destructiveHint", label: "Destructive", meaning: "it may delete or overwrite data" },
  { key: "idempotentHint", label: "Idempotent", meaning: "calling it twice has the same effect as once" },
  { key: "openWorldHint", label: "Open world", meaning: "it reaches systems outside the server, such as the web" },
] as const;
