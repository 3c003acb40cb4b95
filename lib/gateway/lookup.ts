// What one gateway request needs from the database, in one round trip: the grant its key unlocks (if it is valid for
// this server), the server, and the session it names. What is expensive to rebuild (the compiled policy and the tool
// list) is cached per server under its `gateway_revision`, which database triggers bump on every policy save and
// tool change (migration 20261126020000_gateway_hot_path). The revision is read on every request, so the cache is
// never stale, and the grant is read on every request, so a revoked key fails on the next request everywhere.
import { createHash } from "node:crypto";
import type { Queryable } from "@/lib/gateway/counter-store";
import type { GatewayLookup, GatewayServer } from "@/lib/gateway/handler";
import { SESSION_IDLE_MS, type GatewaySession } from "@/lib/gateway/sessions";
import { createBatcher } from "@/lib/gateway/batcher";
import { hashGrantKey, looksLikeGrantKey } from "@/lib/grants/grant-key";
import { compilePolicy, type CompiledPolicy } from "@/lib/policy/compile";
import { validatePolicy } from "@/lib/policy/schema";

/** No policy saved yet: every tool is denied (and so hidden). */
export const DEFAULT_DENY = compilePolicy({ version: "1", default: "deny", tools: {} });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const hashSessionId = (id: string) => createHash("sha256").update(id).digest("hex");

// One row per request of a group (lib/gateway/batcher.ts), in the order given.
const LOOKUP = `
SELECT g.id AS grant_id, g.workspace_id AS grant_workspace_id, g.name AS grant_name,
       (g.revoked_at IS NULL AND EXISTS (SELECT 1 FROM grant_servers gs WHERE gs.grant_id = g.id AND gs.server_id = i.server_id)) AS granted,
       s.id AS server_id, s.workspace_id, s.url, s.credential_ciphertext, s.detected_transport, s.gateway_revision,
       x.grant_id AS session_grant_id, x.server_id AS session_server_id, x.upstream_session_id, x.protocol_version,
       (extract(epoch FROM x.last_used_at) * 1000)::float8 AS session_last_used_ms
  FROM unnest($1::text[], $2::uuid[], $3::text[]) WITH ORDINALITY AS i(key_hash, server_id, session_hash, n)
  LEFT JOIN grants g ON g.key_hash = i.key_hash
  LEFT JOIN mcp_servers s ON s.id = i.server_id
  LEFT JOIN gateway_sessions x ON x.id_hash = i.session_hash
 ORDER BY i.n`;

const CONFIG = `
SELECT s.gateway_revision,
       (SELECT json_build_object('id', p.id, 'document', p.document) FROM policy_versions p
         WHERE p.server_id = s.id ORDER BY p.version DESC LIMIT 1) AS policy,
       (SELECT coalesce(json_agg(json_build_array(t.name, t.status)), '[]') FROM tools t
         WHERE t.server_id = s.id AND t.status <> 'removed') AS tools
  FROM mcp_servers s WHERE s.id = $1::uuid`;

interface LookupRow {
  grant_id: string | null;
  grant_workspace_id: string | null;
  grant_name: string | null;
  granted: boolean | null;
  server_id: string | null;
  workspace_id: string;
  url: string;
  credential_ciphertext: string | null;
  detected_transport: string | null;
  gateway_revision: number;
  session_grant_id: string | null;
  session_server_id: string | null;
  upstream_session_id: string | null;
  protocol_version: string | null;
  session_last_used_ms: number | null;
}

interface ServerConfig {
  revision: number;
  policy: CompiledPolicy;
  policySaved: boolean;
  tools: ReadonlyMap<string, string>;
}

export interface LookupOptions {
  /** A session unused for longer than this is unknown (404): the client initializes a new one. */
  sessionIdleMs?: number;
  now?: () => number;
  /** Servers whose compiled config is kept in memory (least recently loaded dropped first). */
  maxCachedServers?: number;
  /** Lookup statements running at once; requests arriving meanwhile are looked up together in the next one. */
  maxInFlight?: number;
}

export function createDatabaseLookup(db: Queryable, options: LookupOptions = {}): GatewayLookup {
  const idleMs = options.sessionIdleMs ?? SESSION_IDLE_MS;
  const now = options.now ?? Date.now;
  const maxCached = options.maxCachedServers ?? 5_000;
  const configs = new Map<string, ServerConfig>();
  const loading = new Map<string, Promise<ServerConfig | null>>();
  // Compiled policies by version id: versions are immutable, so an entry is never stale.
  const compiled = new Map<string, CompiledPolicy>();

  async function loadConfig(serverId: string): Promise<ServerConfig | null> {
    const { rows } = await db.query<{ gateway_revision: number; policy: { id: string; document: unknown } | null; tools: [string, string][] }>({
      name: "portcullis_gateway_config",
      text: CONFIG,
      values: [serverId],
    });
    const row = rows[0];
    if (!row) return null;
    let policy = DEFAULT_DENY;
    if (row.policy) {
      let hit = compiled.get(row.policy.id);
      if (!hit) {
        const valid = validatePolicy(row.policy.document);
        // A stored version that no longer validates denies everything (fail closed).
        hit = valid.ok ? compilePolicy(valid.document) : DEFAULT_DENY;
        if (compiled.size >= maxCached) compiled.delete(compiled.keys().next().value!);
        compiled.set(row.policy.id, hit);
      }
      policy = hit;
    }
    return { revision: row.gateway_revision, policy, policySaved: row.policy !== null, tools: new Map(row.tools) };
  }

  /** The server's config at `revision` or newer; one load per server at a time, however many requests wait. */
  async function config(serverId: string, revision: number): Promise<ServerConfig | null> {
    const cached = configs.get(serverId);
    if (cached && cached.revision >= revision) return cached;
    let pending = loading.get(serverId);
    if (!pending) {
      pending = loadConfig(serverId).finally(() => loading.delete(serverId));
      loading.set(serverId, pending);
    }
    let loaded = await pending;
    // A load that started before this revision was committed can return an older one: load again.
    if (loaded && loaded.revision < revision) loaded = await loadConfig(serverId);
    if (loaded) {
      const current = configs.get(serverId);
      if (!current || current.revision <= loaded.revision) {
        configs.delete(serverId);
        if (configs.size >= maxCached) configs.delete(configs.keys().next().value!);
        configs.set(serverId, loaded);
      }
    }
    return loaded;
  }

  // Concurrent requests are looked up together: one statement for all of them (batcher.ts).
  const lookups = createBatcher<{ keyHash: string; serverId: string; sessionHash: string }, LookupRow>(
    async (items) => {
      const { rows } = await db.query<LookupRow>({
        name: "portcullis_gateway_lookup",
        text: LOOKUP,
        values: [items.map((i) => i.keyHash), items.map((i) => i.serverId), items.map((i) => i.sessionHash)],
      });
      return rows;
    },
    { maxInFlight: options.maxInFlight ?? 1 },
  );

  return async function lookup(key, serverId, sessionId) {
    if (!UUID.test(serverId)) return { grant: null, server: null, session: null };
    const keyHash = looksLikeGrantKey(key) ? hashGrantKey(key) : "";
    const row = await lookups.run({ keyHash, serverId, sessionHash: sessionId === null ? "" : hashSessionId(sessionId) });
    const grant =
      row.grant_id && row.granted && row.grant_workspace_id
        ? { grantId: row.grant_id, workspaceId: row.grant_workspace_id, name: row.grant_name ?? "" }
        : null;
    if (!row.server_id) return { grant, server: null, session: null };
    const cfg = await config(row.server_id, row.gateway_revision);
    if (!cfg) return { grant, server: null, session: null };
    const server: GatewayServer = {
      id: row.server_id,
      workspaceId: row.workspace_id,
      url: row.url,
      transport: row.detected_transport,
      credentials: row.credential_ciphertext,
      policy: cfg.policy,
      policySaved: cfg.policySaved,
      tools: cfg.tools,
    };
    let session: GatewaySession | null = null;
    if (row.session_grant_id && row.session_server_id && row.session_last_used_ms !== null && now() - row.session_last_used_ms <= idleMs) {
      session = {
        grantId: row.session_grant_id,
        serverId: row.session_server_id,
        upstreamSessionId: row.upstream_session_id,
        protocolVersion: row.protocol_version,
        lastUsedAt: row.session_last_used_ms,
      };
    }
    return { grant, server, session };
  };
}
