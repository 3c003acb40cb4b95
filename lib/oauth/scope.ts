import { InvalidScopeError } from "@modelcontextprotocol/sdk/server/auth/errors.js";

// The scopes a gateway token can carry. One for now: a token reaches exactly one gateway URL, and what it may do
// there is the grant's policy, not the scope. A named scope still lets clients ask for it explicitly (the MCP spec
// has them take it from the 401's WWW-Authenticate or from scopes_supported), and leaves room for more later.

export const GATEWAY_SCOPE = "mcp";
export const SCOPES_SUPPORTED: readonly string[] = [GATEWAY_SCOPE];

const MAX_SCOPE_LENGTH = 1000;

/**
 * The scope a request asks for, normalised (deduplicated, in SCOPES_SUPPORTED's order); every supported scope when it
 * asks for none. Throws InvalidScopeError naming what is not supported.
 */
export function parseScope(requested: string | null | undefined): string {
  if (requested === null || requested === undefined || requested.trim() === "") return SCOPES_SUPPORTED.join(" ");
  if (requested.length > MAX_SCOPE_LENGTH) throw new InvalidScopeError(`The scope is longer than ${MAX_SCOPE_LENGTH} characters.`);
  const words = new Set(requested.split(" ").filter((word) => word !== ""));
  const unknown = [...words].filter((word) => !SCOPES_SUPPORTED.includes(word));
  if (unknown.length > 0) {
    throw new InvalidScopeError(`Portcullis does not know the scope ${unknown.map((w) => `"${w}"`).join(", ")}: ask for "${SCOPES_SUPPORTED.join(" ")}".`);
  }
  return SCOPES_SUPPORTED.filter((scope) => words.has(scope)).join(" ");
}

/** Whether every scope in `requested` is in `granted` (a refresh may narrow the scope, never widen it). */
export function scopeWithin(requested: string, granted: string): boolean {
  const allowed = new Set(granted.split(" "));
  return requested.split(" ").every((word) => word === "" || allowed.has(word));
}
