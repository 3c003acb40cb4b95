// The gateway's dependencies backed by this app's PostgreSQL: the lookup (grant, server revision, session;
// lib/gateway/lookup.ts, served from memory and confirmed by the admit statement), the admit statement that confirms,
// counts and records a request before it is forwarded (lib/gateway/admit.ts), grouped counter and audit writes for
// the other paths (each caller still waits for its own commit),
// sessions in a table, approvals (a LISTEN connection hears decisions), and one keep-alive upstream connection pool
// per server.
import pg from "pg";
import { createApprovalStore } from "@/lib/approvals/approval-store";
import { createApprovalWaiter } from "@/lib/approvals/approval-waiter";
import { createApprovalNotifier } from "@/lib/approvals/webhook";
import { getPool } from "@/lib/db/client";
import { env, upstreamNetworks } from "@/lib/env";
import { createAdmitStore } from "@/lib/gateway/admit";
import { createAuditStore, groupAuditWrites } from "@/lib/gateway/audit";
import { createCounterStore } from "@/lib/gateway/counter-store";
import type { GatewayDeps, GatewayServer } from "@/lib/gateway/types";
import { createDatabaseLookup } from "@/lib/gateway/lookup";
import { createDatabaseSessionStore } from "@/lib/gateway/sessions";
import { touchGrant } from "@/lib/grants/grants";
import { openCredentials } from "@/lib/servers/server-credentials";
import { createGuardedFetch, type FetchLike } from "@/lib/upstream/guarded-fetch";
import { createLegacySseBridge, type LegacySseBridge } from "@/lib/upstream/legacy-sse-bridge";
import { createLogger } from "@/lib/log/log";

interface Upstream {
  key: string;
  guarded: ReturnType<typeof createGuardedFetch>;
  /** Legacy HTTP+SSE servers: one upstream event stream per gateway session, held by this process. */
  bridge: LegacySseBridge | null;
  /** What every request to this server is handed: one object, not one per request. */
  hop: { fetch: FetchLike; close(): Promise<void> };
}

const DONE: Promise<void> = Promise.resolve();

// The connection pool outlives the request, so closing after a response is a no-op.
const keepOpen = async () => {};

// The bridge first: closing the connection pool waits for the requests still open, such as its event streams.
async function release(upstream: Upstream): Promise<void> {
  await upstream.bridge?.close();
  await upstream.guarded.close();
}

const UPSTREAM_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export function createDatabaseGatewayDeps(overrides: Partial<GatewayDeps> = {}): GatewayDeps {
  const pool = getPool();
  const upstreams = new Map<string, Upstream>();
  const touched = new Map<string, number>();
  const approvalStore = createApprovalStore(pool);
  // The waiter's LISTEN connection is its own (a pooled one would be handed to other queries between notifications).
  const waiter = createApprovalWaiter(approvalStore, {
    connect: async () => {
      const client = new pg.Client({ connectionString: env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
      await client.connect();
      return client;
    },
    publish: async (channel, payload) => void (await pool.query("SELECT pg_notify($1, $2)", [channel, payload])),
    log: (line) => createLogger("approvals").error(line),
  });

  return {
    extraMethods: env.PORTCULLIS_GATEWAY_EXTRA_METHODS,
    lookup: createDatabaseLookup(pool),
    sessions: createDatabaseSessionStore(pool),
    // Last use is shown to the minute: skip the database write when this instance recorded one less than a minute ago.
    // Asked on every call: the common answer (recorded lately) is one promise made once, not an async call's.
    touchGrant: (id) => {
      const now = Date.now();
      if (now - (touched.get(id) ?? 0) < 60_000) return DONE;
      if (touched.size > 10_000) touched.clear();
      touched.set(id, now);
      return touchGrant(id, new Date(now));
    },
    counters: createCounterStore(pool),
    audit: groupAuditWrites(createAuditStore(pool)),
    admit: createAdmitStore(pool),
    approvals: { store: approvalStore, waiter, notifier: createApprovalNotifier(pool) },
    // One guarded fetch (one keep-alive connection pool) per server, reused by every request: opening a new
    // agent per call would pay a TCP (and TLS) handshake on the hottest path. It is replaced when the server's
    // URL or credentials change. Each response gets its own byte budget.
    async upstreamFetch(server: GatewayServer) {
      const key = `${server.url}\n${server.transport ?? ""}\n${server.credentials ?? ""}`;
      let entry = upstreams.get(server.id);
      if (!entry || entry.key !== key) {
        if (entry) void release(entry).catch(() => {});
        if (upstreams.size >= 1000) {
          for (const stale of upstreams.values()) void release(stale).catch(() => {});
          upstreams.clear();
        }
        const guarded = createGuardedFetch({
          networks: upstreamNetworks(),
          maxResponseBytes: UPSTREAM_MAX_RESPONSE_BYTES,
          budget: "per-response",
          credentialOrigin: new URL(server.url).origin,
          credentialHeaders: openCredentials(server.credentials, { workspaceId: server.workspaceId, serverId: server.id }),
        });
        // Legacy HTTP+SSE servers go through a bridge that makes them look like Streamable HTTP.
        const bridge = server.transport === "sse" ? createLegacySseBridge({ fetch: guarded.fetch }) : null;
        entry = { key, guarded, bridge, hop: { fetch: bridge?.fetch ?? guarded.requestFetch, close: keepOpen } };
        upstreams.set(server.id, entry);
      }
      return entry.hop;
    },
    ...overrides,
  };
}
