// The gateway's dependencies backed by this app's PostgreSQL: one lookup query per request (grant, server revision,
// session; lib/gateway/lookup.ts), grouped counter and audit writes (each caller still waits for its own commit),
// sessions in a table, and one keep-alive upstream connection pool per server.
import { getPool } from "@/lib/db/client";
import { upstreamNetworks } from "@/lib/env";
import { createAuditStore, groupAuditWrites } from "@/lib/gateway/audit";
import { createCounterStore } from "@/lib/gateway/counter-store";
import type { GatewayDeps, GatewayServer } from "@/lib/gateway/handler";
import { createDatabaseLookup } from "@/lib/gateway/lookup";
import { createDatabaseSessionStore } from "@/lib/gateway/sessions";
import { touchGrant } from "@/lib/grants/grants";
import { openCredentials } from "@/lib/servers/server-credentials";
import { createGuardedFetch } from "@/lib/upstream/guarded-fetch";

const UPSTREAM_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export function createDatabaseGatewayDeps(overrides: Partial<GatewayDeps> = {}): GatewayDeps {
  const pool = getPool();
  const upstreams = new Map<string, { key: string; guarded: ReturnType<typeof createGuardedFetch> }>();
  const touched = new Map<string, number>();

  return {
    lookup: createDatabaseLookup(pool),
    sessions: createDatabaseSessionStore(pool),
    // Last use is shown to the minute: skip the database write when this instance recorded one less than a minute ago.
    touchGrant: async (id) => {
      const now = Date.now();
      if (now - (touched.get(id) ?? 0) < 60_000) return;
      if (touched.size > 10_000) touched.clear();
      touched.set(id, now);
      await touchGrant(id, new Date(now));
    },
    counters: createCounterStore(pool),
    audit: groupAuditWrites(createAuditStore(pool)),
    // One guarded fetch (one keep-alive connection pool) per server, reused by every request: opening a new
    // agent per call would pay a TCP (and TLS) handshake on the hottest path. It is replaced when the server's
    // URL or credentials change. Each response gets its own byte budget.
    async upstreamFetch(server: GatewayServer) {
      const key = `${server.url}\n${server.credentials ?? ""}`;
      let entry = upstreams.get(server.id);
      if (!entry || entry.key !== key) {
        void entry?.guarded.close().catch(() => {});
        if (upstreams.size >= 1000) {
          for (const stale of upstreams.values()) void stale.guarded.close().catch(() => {});
          upstreams.clear();
        }
        entry = {
          key,
          guarded: createGuardedFetch({
            networks: upstreamNetworks(),
            maxResponseBytes: UPSTREAM_MAX_RESPONSE_BYTES,
            budget: "per-response",
            credentialOrigin: new URL(server.url).origin,
            credentialHeaders: openCredentials(server.credentials, { workspaceId: server.workspaceId, serverId: server.id }),
          }),
        };
        upstreams.set(server.id, entry);
      }
      // The connection pool outlives the request, so closing after a response is a no-op.
      return { fetch: entry.guarded.fetch, close: async () => {} };
    },
    ...overrides,
  };
}
