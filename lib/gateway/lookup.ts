// What one gateway request needs from the database: the grant its key unlocks (if it is valid for this server), the
// server, and the session it names. What is expensive to rebuild (the compiled policy and the tool list) is cached per
// server under its `gateway_revision`, which database triggers bump on every policy save, tool change, and change of
// the server's address, credentials or transport (migrations 20261126020000_gateway_hot_path, 20261127000000_gateway_admit).
// A valid answer is also kept in memory for a short while and served without a round trip; it comes with a
// `Confirmation` that the request's admit statement (lib/gateway/admit.ts) checks in the same transaction that counts
// and records the call, before anything is forwarded: a revoked key, a new revision or an ended session fails it, the
// entry is dropped and the request starts again from the database. So the cache saves a round trip and is never
// trusted on its own.
import type { Confirmation } from "@/lib/gateway/admit";
import type { Queryable } from "@/lib/db/queryable";
import { hashSessionId, SESSION_IDLE_MS } from "@/lib/gateway/sessions";
import type { GatewayLookup, GatewayServer, GatewaySession, RefusedKey } from "@/lib/gateway/types";
import { createBatcher } from "@/lib/gateway/batcher";
import { hashGrantKey, looksLikeGrantKey } from "@/lib/grants/grant-key";
import { hashOAuthSecret, oauthTokenKind } from "@/lib/oauth/secrets";
import { compilePolicy, type CompiledPolicy } from "@/lib/policy/compile";
import { compileStoredPolicy } from "@/lib/policy/compile-stored-policy";

/** No policy saved yet: every tool is denied (and so hidden). */
export const DEFAULT_DENY = compilePolicy({ version: "1", default: "deny", tools: {} });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// One row per request of a group (lib/gateway/batcher.ts), in the order given.
const LOOKUP = `
SELECT g.id AS grant_id, g.workspace_id AS grant_workspace_id, g.name AS grant_name,
       (g.revoked_at IS NULL AND EXISTS (SELECT 1 FROM grant_servers gs WHERE gs.grant_id = g.id AND gs.server_id = i.server_id)) AS granted,
       (g.revoked_at IS NOT NULL) AS revoked,
       s.id AS server_id, s.workspace_id, s.url, s.credential_ciphertext, s.detected_transport, s.gateway_revision,
       x.grant_id AS session_grant_id, x.server_id AS session_server_id, x.upstream_session_id, x.protocol_version,
       (extract(epoch FROM x.last_used_at) * 1000)::float8 AS session_last_used_ms
  FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[]) WITH ORDINALITY AS i(key_hash, server_id, session_hash, resource, n)
  -- The grant the credential unlocks: a grant key's own (no resource), or an OAuth access token's, while it is
  -- unrevoked, unexpired and for this server at exactly this gateway URL (RFC 8707).
  LEFT JOIN LATERAL (
         SELECT k.id FROM grants k WHERE i.resource = '' AND k.key_hash = i.key_hash
         UNION ALL
         SELECT ot.grant_id FROM oauth_tokens ot
          WHERE i.resource <> '' AND ot.token_hash = i.key_hash AND ot.kind = 'access' AND ot.revoked_at IS NULL
            AND ot.expires_at > now() AND ot.server_id = i.server_id AND ot.resource = i.resource
       ) credential ON true
  LEFT JOIN grants g ON g.id = credential.id
  LEFT JOIN mcp_servers s ON s.id = i.server_id
  -- A session is the server's workspace's (its key): one of another workspace is unknown here.
  LEFT JOIN gateway_sessions x ON x.workspace_id = s.workspace_id AND x.id_hash = i.session_hash
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
  revoked: boolean | null;
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
  /** How long a valid answer is served from memory (each use is still confirmed by the admit statement). */
  cacheMs?: number;
  /** Answers kept in memory at most. */
  maxCachedAnswers?: number;
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
        // A stored version that no longer validates denies everything (fail closed); one whose only fault is a
        // pattern the linear-time engine cannot run refuses the calls of the rules using it (compile-stored-policy.ts).
        hit = compileStoredPolicy(row.policy.document) ?? DEFAULT_DENY;
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
  const lookups = createBatcher<{ keyHash: string; serverId: string; sessionHash: string; resource: string }, LookupRow>(
    async (items) => {
      const { rows } = await db.query<LookupRow>({
        name: "portcullis_gateway_lookup",
        text: LOOKUP,
        values: [items.map((i) => i.keyHash), items.map((i) => i.serverId), items.map((i) => i.sessionHash), items.map((i) => i.resource)],
      });
      return rows;
    },
    { maxInFlight: options.maxInFlight ?? 1, name: "lookup statement" },
  );

  // Valid answers by key hash, server and session hash; they hold no secret (the key is hashed, credentials stay
  // encrypted until the upstream pool opens them).
  const cacheMs = options.cacheMs ?? 30_000;
  const maxAnswers = options.maxCachedAnswers ?? 10_000;
  const answers = new Map<string, { at: number; answer: LookupAnswer }>();
  const none = { grant: null, server: null, session: null, confirmation: null };

  return async function lookup(key, serverId, sessionId, lookupOptions) {
    if (!UUID.test(serverId)) return none;
    // A grant key, or an OAuth access token for the gateway URL the request came to (its resource); anything else
    // unlocks nothing, and an access token without the URL it is for is refused.
    const accessToken = oauthTokenKind(key) === "access" && Boolean(lookupOptions?.resource);
    const keyHash = looksLikeGrantKey(key) ? hashGrantKey(key) : accessToken ? hashOAuthSecret(key) : "";
    const resource = accessToken ? lookupOptions!.resource! : "";
    const sessionHash = sessionId === null ? "" : hashSessionId(sessionId);
    const cacheKey = `${keyHash}\n${serverId}\n${sessionHash}\n${resource}`;
    const t = now();
    if (!lookupOptions?.fresh && keyHash !== "") {
      const hit = answers.get(cacheKey);
      if (hit && t - hit.at < cacheMs) {
        // The session's idle limit moves with the clock, not with the entry.
        const since = t - idleMs;
        return { ...hit.answer, confirmation: { ...hit.answer.confirmation, sessionUsedSince: since }, cached: true };
      }
    }
    answers.delete(cacheKey);
    const answer = await lookupFresh(keyHash, serverId, sessionHash, resource, sessionId !== null);
    if (answer.confirmation !== null) {
      if (answers.size >= maxAnswers) answers.delete(answers.keys().next().value!);
      answers.set(cacheKey, { at: t, answer: answer as LookupAnswer });
    }
    return { ...answer, cached: false };
  };

  async function lookupFresh(keyHash: string, serverId: string, sessionHash: string, resource: string, namesSession: boolean) {
    const row = await lookups.run({ keyHash, serverId, sessionHash, resource });
    const grant =
      row.grant_id && row.granted && row.grant_workspace_id
        ? { grantId: row.grant_id, workspaceId: row.grant_workspace_id, name: row.grant_name ?? "" }
        : null;
    if (!row.server_id) return { grant, server: null, session: null, confirmation: null };
    // Why a key is refused, for the server's trail. A grant of another workspace is "unknown" there, and its id is
    // never named in this workspace's trail.
    const ownGrant = row.grant_id !== null && row.grant_workspace_id === row.workspace_id;
    const refusedKey: RefusedKey | undefined =
      grant !== null && ownGrant
        ? undefined
        : ownGrant
          ? { grantId: row.grant_id, code: row.revoked ? "key_revoked" : "key_not_granted" }
          : { grantId: null, code: "key_unknown" };
    const cfg = await config(row.server_id, row.gateway_revision);
    if (!cfg) return { grant, server: null, session: null, confirmation: null };
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
        workspaceId: row.workspace_id,
        grantId: row.session_grant_id,
        serverId: row.session_server_id,
        upstreamSessionId: row.upstream_session_id,
        protocolVersion: row.protocol_version,
        lastUsedAt: row.session_last_used_ms,
      };
    }
    // Only a complete, valid answer can be confirmed later (and so cached): anything else is answered from here.
    const valid = grant !== null && server.workspaceId === grant.workspaceId && (!namesSession || session !== null);
    const confirmation: Confirmation | null = valid
      ? {
          workspaceId: server.workspaceId,
          grantId: grant.grantId,
          keyHash,
          serverId: server.id,
          revision: row.gateway_revision,
          sessionHash: namesSession ? sessionHash : null,
          sessionUsedSince: now() - idleMs,
        }
      : null;
    return { grant, server, session, confirmation, refusedKey };
  }
}

type LookupAnswer = {
  grant: NonNullable<Awaited<ReturnType<GatewayLookup>>["grant"]>;
  server: GatewayServer;
  session: GatewaySession | null;
  confirmation: Confirmation;
};
