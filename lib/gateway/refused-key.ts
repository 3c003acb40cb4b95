// Requests refused before any grant is known (no key, an unknown key, a revoked one, or one not granted this server)
// are recorded in the trail of the server they were sent to, so a person can see why an agent gets 401 and that a
// revoked key is still in use. Anyone who has a server's gateway URL can send such requests, so each instance records
// at most a budget of them per server (a token bucket); the rest are counted and the count goes into the next row
// recorded for that server.

export type RefusedKeyCode = "key_missing" | "key_unknown" | "key_revoked" | "key_not_granted";

export const REFUSED_KEY_REASONS: Record<RefusedKeyCode, string> = {
  key_missing: "No grant key was sent (Authorization: Bearer pcg_...).",
  key_unknown: "The key belongs to no grant of this workspace.",
  key_revoked: "The grant's key was revoked.",
  key_not_granted: "The grant is not allowed to reach this server.",
};

/** What the refused request asked for, read leniently from an unauthenticated body: method and tool names only. */
export function describeRefusedRequest(httpMethod: string, body: string | null): { method: string; tool: string | null } {
  if (httpMethod !== "POST" || body === null) return { method: httpMethod, tool: null };
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    return { method: httpMethod, tool: null };
  }
  if (Array.isArray(message)) return { method: "batch", tool: null };
  if (typeof message !== "object" || message === null) return { method: httpMethod, tool: null };
  const { method, params } = message as { method?: unknown; params?: unknown };
  if (typeof method !== "string" || method === "") return { method: httpMethod, tool: null };
  const name = method === "tools/call" && typeof params === "object" && params !== null ? (params as { name?: unknown }).name : undefined;
  // The strings come from whoever holds the URL: kept short.
  return { method: method.slice(0, 100), tool: typeof name === "string" && name !== "" ? name.slice(0, 200) : null };
}

export interface RefusalBudget {
  /** null when this refusal is over the budget (counted, not recorded); else how many were skipped since the last one. */
  take(serverId: string, now: number): { skipped: number } | null;
}

/** Per server: `perSecond` rows on average, `burst` at once; at most `maxServers` buckets (oldest dropped first). */
export function createRefusalBudget(options: { perSecond?: number; burst?: number; maxServers?: number } = {}): RefusalBudget {
  const perSecond = options.perSecond ?? 10;
  const burst = options.burst ?? 50;
  const maxServers = options.maxServers ?? 10_000;
  const buckets = new Map<string, { tokens: number; at: number; skipped: number }>();
  return {
    take(serverId, now) {
      let bucket = buckets.get(serverId);
      if (!bucket) {
        if (buckets.size >= maxServers) buckets.delete(buckets.keys().next().value!);
        bucket = { tokens: burst, at: now, skipped: 0 };
        buckets.set(serverId, bucket);
      }
      bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond);
      bucket.at = now;
      if (bucket.tokens < 1) {
        bucket.skipped++;
        return null;
      }
      bucket.tokens -= 1;
      const skipped = bucket.skipped;
      bucket.skipped = 0;
      return { skipped };
    },
  };
}
