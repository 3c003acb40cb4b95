// The MCP methods the gateway forwards. Only these exact names go upstream: a look-alike (`Tools/call`,
// `tools/call `, `tools/call\u200b`) is not checked as a tool call, and a loose upstream that normalised it would run a
// tool the policy never saw. Operators add others with PORTCULLIS_GATEWAY_EXTRA_METHODS. Pure.

/** Every method of the MCP revisions the gateway accepts (2025-03-26 to the 2026-07-28 line), in both directions. */
export const MCP_METHODS: ReadonlySet<string> = new Set([
  "initialize",
  "ping",
  "tools/list",
  "tools/call",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "resources/subscribe",
  "resources/unsubscribe",
  "prompts/list",
  "prompts/get",
  "completion/complete",
  "logging/setLevel",
  "tasks/get",
  "tasks/result",
  "tasks/list",
  "tasks/cancel",
  "tasks/update",
  "server/discover",
  "subscriptions/listen",
  "sampling/createMessage",
  "elicitation/create",
  "roots/list",
  "notifications/initialized",
  "notifications/cancelled",
  "notifications/progress",
  "notifications/message",
  "notifications/roots/list_changed",
  "notifications/tools/list_changed",
  "notifications/resources/list_changed",
  "notifications/resources/updated",
  "notifications/prompts/list_changed",
  "notifications/tasks/status",
  "notifications/elicitation/complete",
  "notifications/subscriptions/acknowledged",
]);

/**
 * A method name folded the way a lenient server might read it: case, Unicode compatibility forms, whitespace,
 * invisible format characters (zero-width spaces, joiners, BOM) and separators other than `/` taken out.
 */
export function foldMethod(method: string): string {
  return method
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\p{Cf}\p{Cc}]+/gu, "")
    .replace(/[\\\u2044\u2215\uff0f]/g, "/");
}

const FOLDED_KNOWN = new Map([...MCP_METHODS].map((m) => [foldMethod(m), m]));

/** The known method that `method` imitates without being it (`Tools/call` -> `tools/call`), or null. */
export function imitatedMethod(method: string): string | null {
  if (MCP_METHODS.has(method)) return null;
  return FOLDED_KNOWN.get(foldMethod(method)) ?? null;
}

/**
 * The operator's extra methods, checked: each must not imitate a known one (an extra `Tools/call` would be a hole
 * the operator did not mean to open). Returns the methods, or throws with the offending name.
 */
export function parseExtraMethods(value: string | undefined): string[] {
  if (!value) return [];
  const methods = value.split(",").map((m) => m.trim()).filter((m) => m !== "");
  for (const method of methods) {
    const imitated = imitatedMethod(method);
    if (imitated !== null) throw new Error(`PORTCULLIS_GATEWAY_EXTRA_METHODS lists ${JSON.stringify(method)}, which imitates the MCP method ${imitated}: leave it out.`);
  }
  return methods;
}

/** Why the gateway will not forward `method`, for the client and the trail. */
export function unknownMethodMessage(method: string): string {
  const imitated = imitatedMethod(method);
  const shown = JSON.stringify(method);
  return imitated !== null
    ? `Method not found: ${shown} is not the MCP method ${imitated} (its name differs in case, spacing or invisible characters), and this gateway forwards only exact MCP method names.`
    : `Method not found: this gateway forwards only the MCP methods it knows, and ${shown} is not one of them.`;
}
