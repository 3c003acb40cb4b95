// The gateway's dependencies backed by this app's PostgreSQL (Prisma for reads, hand-written SQL for counters and
// audit). Compiled policies are cached by PolicyVersion id: versions are immutable, so a cached entry is never
// stale; which version is active is read on every request.
import { getPool, getPrisma } from "@/lib/db/client";
import { upstreamNetworks } from "@/lib/env";
import { createAuditStore } from "@/lib/gateway/audit";
import { createCounterStore } from "@/lib/gateway/counter-store";
import type { GatewayDeps, GatewayServer } from "@/lib/gateway/handler";
import { resolveGrantKey, touchGrant } from "@/lib/grants/grants";
import { compilePolicy, type CompiledPolicy } from "@/lib/policy/compile";
import { validatePolicy } from "@/lib/policy/schema";
import { openCredentials } from "@/lib/servers/server-credentials";
import { createGuardedFetch } from "@/lib/upstream/guarded-fetch";

/** No policy saved yet: every tool is denied (and so hidden). */
const DEFAULT_DENY = compilePolicy({ version: "1", default: "deny", tools: {} });
const UPSTREAM_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export function createDatabaseGatewayDeps(overrides: Partial<GatewayDeps> = {}): GatewayDeps {
  const compiled = new Map<string, CompiledPolicy>();
  const upstreams = new Map<string, { key: string; guarded: ReturnType<typeof createGuardedFetch> }>();
  const touched = new Map<string, number>();

  async function loadServer(serverId: string): Promise<(GatewayServer & { ciphertext: string | null }) | null> {
    const prisma = getPrisma();
    const server = await prisma.mcpServer.findUnique({
      where: { id: serverId },
      select: {
        id: true, workspaceId: true, url: true, credentialCiphertext: true,
        policies: { orderBy: { version: "desc" }, take: 1, select: { id: true, document: true } },
        tools: { where: { status: { not: "removed" } }, select: { name: true, status: true } },
      },
    });
    if (!server) return null;
    const active = server.policies[0];
    let policy = DEFAULT_DENY;
    if (active) {
      let hit = compiled.get(active.id);
      if (!hit) {
        const valid = validatePolicy(active.document);
        // A stored version that no longer validates denies everything (fail closed).
        hit = valid.ok ? compilePolicy(valid.document) : DEFAULT_DENY;
        if (compiled.size > 1000) compiled.clear();
        compiled.set(active.id, hit);
      }
      policy = hit;
    }
    return {
      id: server.id,
      workspaceId: server.workspaceId,
      url: server.url,
      policy,
      policySaved: active !== undefined,
      tools: new Map(server.tools.map((t) => [t.name, t.status])),
      ciphertext: server.credentialCiphertext,
    };
  }

  return {
    resolveGrant: resolveGrantKey,
    loadServer,
    // Last use is shown to the minute: skip the database write when this instance recorded one less than a minute ago.
    touchGrant: async (id) => {
      const now = Date.now();
      if (now - (touched.get(id) ?? 0) < 60_000) return;
      if (touched.size > 10_000) touched.clear();
      touched.set(id, now);
      await touchGrant(id, new Date(now));
    },
    counters: createCounterStore(getPool()),
    audit: createAuditStore(getPool()),
    // One guarded fetch (one keep-alive connection pool) per server, reused by every request: opening a new
    // agent per call would pay a TCP (and TLS) handshake on the hottest path. It is replaced when the server's
    // URL or credentials change. Each response gets its own byte budget.
    async upstreamFetch(server) {
      const ciphertext = (server as GatewayServer & { ciphertext?: string | null }).ciphertext ?? null;
      const key = `${server.url}\n${ciphertext ?? ""}`;
      let entry = upstreams.get(server.id);
      if (!entry || entry.key !== key) {
        void entry?.guarded.close().catch(() => {});
        if (upstreams.size > 1000) upstreams.clear();
        entry = {
          key,
          guarded: createGuardedFetch({
            networks: upstreamNetworks(),
            maxResponseBytes: UPSTREAM_MAX_RESPONSE_BYTES,
            budget: "per-response",
            credentialOrigin: new URL(server.url).origin,
            credentialHeaders: openCredentials(ciphertext, { workspaceId: server.workspaceId, serverId: server.id }),
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
