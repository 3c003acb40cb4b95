import { randomUUID } from "node:crypto";
import { describe, expect, it, beforeAll } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { getPool, getPrisma } from "@/lib/db/client";
import { createAuditStore, groupAuditWrites, type AuditRecord } from "@/lib/gateway/audit";
import { createGrant, listGrants, resolveGrantKey, revokeGrant, touchGrant } from "@/lib/grants/grants";
import { ApiError } from "@/lib/http/api-error";

// Grants (keys shown once, stored hashed, revocable at once) and the audit insert, on a real PostgreSQL.

let caller: Caller;
let other: Caller;
let serverA: string;
let serverB: string;

async function newCaller(): Promise<Caller> {
  const account = await signUp({ email: `grants-${randomUUID()}@example.com`, password: "a long test password" });
  return { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
}

async function newServer(c: Caller, name: string): Promise<string> {
  const id = randomUUID();
  await getPrisma().mcpServer.create({ data: { id, workspaceId: c.workspaceId, name, url: "http://127.0.0.1:9/mcp" } });
  return id;
}

beforeAll(async () => {
  [caller, other] = await Promise.all([newCaller(), newCaller()]);
  serverA = await newServer(caller, "a");
  serverB = await newServer(caller, "b");
});

describe("grants", () => {
  it("returns the key once, stores only its hash, and resolves it for its servers only", async () => {
    const { grant, key } = await createGrant(caller, { name: "claude code", serverIds: [serverA] });
    expect(key).toMatch(/^pcg_[A-Za-z0-9_-]{43}$/);
    expect(grant.keyPrefix).toBe(key.slice(0, 12));
    const row = await getPrisma().grant.findUniqueOrThrow({ where: { id: grant.id } });
    expect(JSON.stringify(row)).not.toContain(key);
    expect(await resolveGrantKey(key, serverA)).toEqual({ grantId: grant.id, workspaceId: caller.workspaceId, name: "claude code" });
    expect(await resolveGrantKey(key, serverB)).toBeNull();
    expect(await resolveGrantKey(key.slice(0, -1) + (key.endsWith("A") ? "B" : "A"), serverA)).toBeNull();
    expect(await resolveGrantKey("pcp_not-a-grant", serverA)).toBeNull();
    const listed = await listGrants(caller);
    expect(listed.find((g) => g.id === grant.id)).toMatchObject({ serverIds: [serverA], revokedAt: null, lastUsedAt: null });
    expect(JSON.stringify(listed)).not.toContain(key);
  });

  it("stops resolving a revoked key on the very next lookup", async () => {
    const { grant, key } = await createGrant(caller, { name: "cursor", serverIds: [serverA, serverB] });
    expect(await resolveGrantKey(key, serverB)).toMatchObject({ grantId: grant.id, name: "cursor" });
    const revoked = await revokeGrant(caller, grant.id);
    expect(revoked.revokedAt).toEqual(expect.any(String));
    expect(Math.abs(Date.parse(revoked.revokedAt!) - Date.now())).toBeLessThan(60_000);
    expect(await resolveGrantKey(key, serverA)).toBeNull();
    expect(await resolveGrantKey(key, serverB)).toBeNull();
  });

  it("refuses servers and grants of another workspace as not found", async () => {
    const error = await createGrant(other, { name: "x", serverIds: [serverA] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    const { grant } = await createGrant(caller, { name: "mine", serverIds: [serverA] });
    const revoke = await revokeGrant(other, grant.id).catch((e: unknown) => e);
    expect((revoke as ApiError).status).toBe(404);
    expect((await listGrants(other)).length).toBe(0);
  });

  it("records the last use", async () => {
    const { grant } = await createGrant(caller, { name: "touched", serverIds: [serverA] });
    await touchGrant(grant.id);
    const listed = (await listGrants(caller)).find((g) => g.id === grant.id);
    expect(listed?.lastUsedAt).toEqual(expect.any(String));
    expect(Math.abs(Date.parse(listed!.lastUsedAt!) - Date.now())).toBeLessThan(60_000);
  });
});

describe("audit insert", () => {
  it("writes rows with argument names and digest only", async () => {
    const store = createAuditStore(getPool());
    const requestId = randomUUID();
    await store.record([
      {
        workspaceId: caller.workspaceId, serverId: serverA, grantId: null, requestId, method: "tools/call", tool: "echo",
        decision: "deny", code: "denied_by_rule", rule: "echo", reason: "no", upstreamStatus: null, gatewayMs: 1.5,
        upstreamMs: null, argumentNames: ["message"], argumentsSha256: "ab".repeat(32),
      },
      {
        workspaceId: caller.workspaceId, serverId: serverA, grantId: null, requestId, method: "tools/list", tool: null,
        decision: "allow", code: null, rule: null, reason: null, upstreamStatus: 200, gatewayMs: 0.7, upstreamMs: 3,
        argumentNames: [], argumentsSha256: null,
      },
    ]);
    const rows = await getPrisma().auditEvent.findMany({ where: { requestId }, orderBy: { method: "asc" } });
    expect(rows.map((r) => [r.method, r.decision, r.argumentNames, r.upstreamStatus])).toEqual([
      ["tools/call", "deny", ["message"], null],
      ["tools/list", "allow", [], 200],
    ]);
  });
});

describe("grouped audit writes", () => {
  const row = (requestId: string, workspaceId = caller.workspaceId): AuditRecord => ({
    workspaceId, serverId: serverA, grantId: null, requestId, method: "tools/call", tool: "echo", decision: "allow",
    code: null, rule: null, reason: null, upstreamStatus: 200, gatewayMs: 1, upstreamMs: 1, argumentNames: [], argumentsSha256: null,
  });
  const stored = async (ids: string[]) =>
    Number((await getPool().query<{ n: string }>("SELECT count(*) AS n FROM audit_events WHERE request_id = ANY ($1)", [ids])).rows[0]!.n);

  it("writes 100 concurrent records in a few statements, each durable when its caller's promise resolves", async () => {
    let statements = 0;
    const base = createAuditStore(getPool());
    const grouped = groupAuditWrites({ record: (records) => (statements++, base.record(records)) });
    const ids = Array.from({ length: 100 }, () => randomUUID());
    await Promise.all(ids.map(async (id) => {
      await grouped.record([row(id)]);
      expect(await stored([id])).toBe(1);
    }));
    expect(await stored(ids)).toBe(100);
    expect(statements).toBeLessThan(50);
  });

  it("fails only the caller whose record the database refuses; the others in its group are written", async () => {
    const grouped = groupAuditWrites(createAuditStore(getPool()), { maxInFlight: 1 });
    const good = Array.from({ length: 5 }, () => randomUUID());
    const bad = randomUUID();
    const results = await Promise.allSettled([
      ...good.map((id) => grouped.record([row(id)])),
      grouped.record([row(bad, "not-a-uuid")]),
      ...good.slice(0, 2).map(() => grouped.record([row(randomUUID())])),
    ]);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
    expect(results[5]!.status).toBe("rejected");
    expect(await stored(good)).toBe(5);
    expect(await stored([bad])).toBe(0);
  });
});

describe("gateway housekeeping", () => {
  it("deletes ended rate-limit windows and idle sessions, and keeps live ones", async () => {
    const pool = getPool();
    const { createCounterStore } = await import("@/lib/gateway/counter-store");
    const { createDatabaseSessionStore } = await import("@/lib/gateway/sessions");
    const { runGatewayHousekeeping } = await import("@/lib/gateway/housekeeping");
    const sessions = createDatabaseSessionStore(pool);
    const { grant } = await createGrant(caller, { name: "housekeeping", serverIds: [serverA] });
    const workspaceId = caller.workspaceId;
    const live = await sessions.create({ workspaceId, grantId: grant.id, serverId: serverA, upstreamSessionId: null, protocolVersion: "2025-06-18" });
    const idle = await sessions.create({ workspaceId, grantId: grant.id, serverId: serverA, upstreamSessionId: "up", protocolVersion: "2025-06-18" });
    const { hashSessionId } = await import("@/lib/gateway/sessions");
    await pool.query("UPDATE gateway_sessions SET last_used_at = now() - interval '2 days' WHERE id_hash = $1", [hashSessionId(idle)]);
    const ended = `hk-${randomUUID()}`;
    const current = `hk-${randomUUID()}`;
    await pool.query(
      "INSERT INTO rate_limit_counters (workspace_id, key, window_end, count) VALUES ($1, $2, now() - interval '1 minute', 3), ($1, $3, now() + interval '1 minute', 3)",
      [workspaceId, ended, current],
    );
    const deleted = await runGatewayHousekeeping({ counters: createCounterStore(pool), sessions });
    expect(deleted.sessions).toBeGreaterThanOrEqual(1);
    const keys = (await pool.query<{ key: string }>("SELECT key FROM rate_limit_counters WHERE key = ANY ($1)", [[ended, current]])).rows.map((r) => r.key);
    expect(keys).toEqual([current]);
    const hashes = (await pool.query<{ id_hash: string }>("SELECT id_hash FROM gateway_sessions WHERE grant_id = $1", [grant.id])).rows.map((r) => r.id_hash);
    expect(hashes).toEqual([hashSessionId(live)]);
  });
});
