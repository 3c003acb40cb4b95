import { randomUUID } from "node:crypto";
import { describe, expect, it, beforeAll } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { getPool, getPrisma } from "@/lib/db/client";
import { createAuditStore } from "@/lib/gateway/audit";
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
    expect(await resolveGrantKey(key, serverB)).not.toBeNull();
    const revoked = await revokeGrant(caller, grant.id);
    expect(revoked.revokedAt).not.toBeNull();
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
    expect(listed?.lastUsedAt).not.toBeNull();
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
