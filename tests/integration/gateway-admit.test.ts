import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { getPool } from "@/lib/db/client";
import { createAdmitStore, type AdmitRow } from "@/lib/gateway/admit";
import { createGatewayHandler } from "@/lib/gateway/handler";
import { gatewayListener } from "../support/gateway-mount";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import { createGrant, revokeGrant } from "@/lib/grants/grants";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import { registerServer } from "@/lib/servers/register-server";
import { updateServer } from "@/lib/servers/update-server";
import { startTestMcpServer, type TestMcpServer } from "../support/test-mcp-server";

// The admit statement (lib/gateway/admit.ts) and the lookup cache it confirms, on a real PostgreSQL with a real SDK
// upstream: a call is counted and recorded before the upstream sees it, its status and timings follow the answer, a
// lookup served from memory never outlives a revocation or a change of credentials, and grouped admits count exactly.

let caller: Caller;
let upstream: TestMcpServer;
const gateways: Server[] = [];
const clients: Client[] = [];

const POLICY = {
  version: "1",
  default: "deny",
  tools: { list_files: { limits: [{ counter: "files", window: "hour", max: 1000, scope: "grant" }] }, send_email: {} },
};

async function startGateway(): Promise<string> {
  const gateway = createServer(gatewayListener(createGatewayHandler(createDatabaseGatewayDeps())));
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  gateways.push(gateway);
  return `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
}

async function connect(origin: string, serverId: string, key: string): Promise<Client> {
  const client = new Client({ name: "admit-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${origin}/gateway/${serverId}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  clients.push(client);
  return client;
}

async function setup(name: string, url: string, credentials?: { type: "bearer"; token: string }) {
  const server = await registerServer(caller, { name, url, transport: "streamable_http", ...(credentials ? { credentials } : {}) });
  await savePolicyVersion(caller, server.id, { text: JSON.stringify(POLICY), message: "admit test" });
  const grant = await createGrant(caller, { name: `${name} agent`, serverIds: [server.id] });
  return { serverId: server.id, key: grant.key, grantId: grant.grant.id };
}

const textOf = (result: unknown) => ((result as { content: { text: string }[] }).content[0]?.text ?? "");

async function auditRows(grantId: string) {
  const { rows } = await getPool().query<{ id: string; tool: string | null; decision: string; code: string | null; forwarded: boolean; upstream_status: number | null; gateway_ms: number | null; upstream_ms: number | null }>(
    `SELECT id, tool, decision, code, forwarded, upstream_status, gateway_ms, upstream_ms FROM audit_events WHERE grant_id = $1 ORDER BY at`,
    [grantId],
  );
  return rows;
}

beforeAll(async () => {
  const account = await signUp({ email: `admit-${randomUUID()}@example.com`, password: "a long test password" });
  caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
  upstream = await startTestMcpServer({ token: "first-s3cret" });
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  for (const gateway of gateways) {
    gateway.closeAllConnections();
    await new Promise((resolve) => gateway.close(resolve));
  }
  await upstream?.close();
});

describe("admitting a call", () => {
  it("counts and records a call before the upstream sees it; its status and timings follow the answer", async () => {
    const { serverId, key, grantId } = await setup("recorded first", upstream.url);
    const client = await connect(await startGateway(), serverId, key);
    // The upstream looks at the database while the gateway waits for its answer.
    upstream.onCall = async (name) => {
      const { rows } = await getPool().query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_events WHERE grant_id = $1 AND tool = $2 AND forwarded AND upstream_status IS NULL`,
        [grantId, name],
      );
      const counted = await getPool().query<{ count: number }>(`SELECT count FROM rate_limit_counters WHERE key LIKE '%' || $1 || '%'`, [grantId]);
      return JSON.stringify({ rows: rows[0]!.n, counted: counted.rows.map((r) => r.count) });
    };
    try {
      const result = await client.callTool({ name: "list_files", arguments: { path: "/" } });
      expect(JSON.parse(textOf(result))).toEqual({ rows: 1, counted: [1] });
    } finally {
      upstream.onCall = undefined;
    }
    // The outcome is written right after the answer, off its path.
    let row;
    for (let i = 0; i < 100; i++) {
      row = (await auditRows(grantId)).find((r) => r.tool === "list_files");
      if (row?.upstream_status !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(row).toMatchObject({ decision: "allow", forwarded: true, upstream_status: 200 });
    expect(row!.gateway_ms).toBeGreaterThan(0);
    expect(row!.upstream_ms).toBeGreaterThan(0);
    expect(row!.gateway_ms!).toBeGreaterThanOrEqual(row!.upstream_ms!);
  });

  it("never serves a revoked key from memory: the next request on every instance is 401, recorded as refused, and nothing is counted or forwarded", async () => {
    const { serverId, key, grantId } = await setup("revoked while cached", upstream.url);
    const [a, b] = await Promise.all([startGateway(), startGateway()]);
    const [clientA, clientB] = await Promise.all([connect(a, serverId, key), connect(b, serverId, key)]);
    // Both instances now hold the lookup in memory.
    await clientA.callTool({ name: "list_files", arguments: {} });
    await clientB.callTool({ name: "list_files", arguments: {} });
    const seen = upstream.calls.length;
    const rowsBefore = (await auditRows(grantId)).length;
    await revokeGrant(caller, grantId);
    await expect(clientA.callTool({ name: "list_files", arguments: {} })).rejects.toThrow(/401|not valid/i);
    await expect(clientB.callTool({ name: "send_email", arguments: {} })).rejects.toThrow(/401|not valid/i);
    expect(upstream.calls.length).toBe(seen);
    // Each refused request gets its own row (written off the answer's path): denied for the revoked key, not forwarded.
    let recorded = await auditRows(grantId);
    for (let i = 0; i < 100 && recorded.length < rowsBefore + 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      recorded = await auditRows(grantId);
    }
    const refused = recorded.slice(rowsBefore).map((r) => [r.tool, r.decision, r.code, r.forwarded]);
    expect(refused.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ["list_files", "deny", "key_revoked", false],
      ["send_email", "deny", "key_revoked", false],
    ]);
    const { rows } = await getPool().query<{ count: number }>(`SELECT count FROM rate_limit_counters WHERE key LIKE '%' || $1 || '%'`, [grantId]);
    expect(rows.map((r) => r.count)).toEqual([2]);
  });

  it("sends the next call with the server's new credentials, though the instance had the old ones in memory", async () => {
    const { serverId, key } = await setup("credentials changed", `${upstream.origin}/private`, { type: "bearer", token: "first-s3cret" });
    const client = await connect(await startGateway(), serverId, key);
    await client.callTool({ name: "send_email", arguments: {} });
    expect(upstream.seenAuthorization.at(-1)).toBe("Bearer first-s3cret");
    await updateServer(caller, serverId, { credentials: { type: "bearer", token: "second-s3cret" } });
    // The upstream refuses the new token, which shows it was the one sent.
    await expect(client.callTool({ name: "send_email", arguments: {} })).rejects.toThrow();
    expect(upstream.seenAuthorization.at(-1)).toBe("Bearer second-s3cret");
  });
});

describe("the admit statement", () => {
  it("counts grouped calls exactly, each under all of its counters or none, and records only what it counted", async () => {
    const { serverId, key, grantId } = await setup("grouped", upstream.url);
    const pool = getPool();
    const { rows: server } = await pool.query<{ gateway_revision: number }>(`SELECT gateway_revision FROM mcp_servers WHERE id = $1`, [serverId]);
    const { hashGrantKey } = await import("@/lib/grants/grant-key");
    const confirm = { workspaceId: caller.workspaceId, grantId, keyHash: hashGrantKey(key), serverId, revision: server[0]!.gateway_revision, sessionHash: null, sessionUsedSince: 0 };
    const prefix = `test:${randomUUID()}`;
    const maxes: Record<string, number> = { a: 20, b: 25, c: 30 };
    const windowEnd = Date.now() + 3_600_000;
    const row = (n: number): AdmitRow => ({
      workspaceId: caller.workspaceId, serverId, grantId, requestId: `r${n}`, method: "tools/call", tool: "list_files", decision: "allow",
      code: null, rule: null, reason: null, upstreamStatus: null, gatewayMs: null, upstreamMs: null, argumentNames: [], argumentsSha256: null,
      forwarded: true, call: 0,
    });
    // Two stores: two instances' worth of grouping, racing on the same rows.
    const stores = [createAdmitStore(pool), createAdmitStore(pool)];
    const subsets = Array.from({ length: 120 }, (_, n) => ["a", "b", "c"].filter((_, i) => ((n * 7 + i * 3) % 5) < 3));
    const results = await Promise.all(
      subsets.map((names, n) =>
        stores[n % 2]!.admit({
          confirm,
          calls: [names.map((name) => ({ key: `${prefix}:${name}`, windowEnd, max: maxes[name]!, scope: "grant", counter: name, window: "hour" }) as never)],
          rows: [row(n)],
        }),
      ),
    );
    const granted = results.map((r) => r.confirmed && r.calls[0] === null);
    const { rows: counts } = await pool.query<{ key: string; count: number }>(`SELECT key, count FROM rate_limit_counters WHERE key LIKE $1 || '%'`, [prefix]);
    for (const name of ["a", "b", "c"]) {
      const expected = subsets.filter((names, n) => granted[n] && names.includes(name)).length;
      expect(expected).toBeLessThanOrEqual(maxes[name]!);
      expect(counts.find((c) => c.key === `${prefix}:${name}`)?.count ?? 0).toBe(expected);
    }
    // Every refused call names a full counter; exactly the counted calls were recorded.
    let refused = 0;
    for (const [n, result] of results.entries()) {
      if (result.confirmed && result.calls[0] !== null) {
        refused++;
        expect(result.calls[0]!.some((k) => (counts.find((c) => c.key === k)?.count ?? -1) >= maxes[k.split(":").at(-1)!]!)).toBe(true);
      }
      expect(result.confirmed).toBe(true);
      void n;
    }
    // 72 calls ask for each counter against maxes of 20 to 30: refusals must have happened, and each was checked.
    expect(refused).toBe(granted.filter((g) => !g).length);
    expect(refused).toBeGreaterThan(0);
    const recorded = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE grant_id = $1 AND request_id LIKE 'r%'`, [grantId]);
    expect(recorded.rows[0]!.n).toBe(granted.filter(Boolean).length);
    expect(granted.filter(Boolean).length).toBeGreaterThan(0);
  });

  it("counts call by call when a counter has no room for all of a request's calls, undoing nothing twice", async () => {
    // The admit statement first tries every call at once; when one counter (b) has no room for all of them, it undoes
    // what it added to the others (a) and counts the calls in order, each under all of its counters or none.
    const { serverId, key, grantId } = await setup("call-by-call", upstream.url);
    const pool = getPool();
    const { hashGrantKey } = await import("@/lib/grants/grant-key");
    const { rows: server } = await pool.query<{ gateway_revision: number }>(`SELECT gateway_revision FROM mcp_servers WHERE id = $1`, [serverId]);
    const confirm = { workspaceId: caller.workspaceId, grantId, keyHash: hashGrantKey(key), serverId, revision: server[0]!.gateway_revision, sessionHash: null, sessionUsedSince: 0 };
    const prefix = `test:${randomUUID()}`;
    const windowEnd = Date.now() + 3_600_000;
    const check = (name: string, max: number) => ({ key: `${prefix}:${name}`, windowEnd, max, scope: "grant", counter: name, window: "hour" }) as never;
    const row = (requestId: string, call: number): AdmitRow => ({
      workspaceId: caller.workspaceId, serverId, grantId, requestId, method: "tools/call", tool: "list_files", decision: "allow",
      code: null, rule: null, reason: null, upstreamStatus: null, gatewayMs: null, upstreamMs: null, argumentNames: [], argumentsSha256: null,
      forwarded: true, call,
    });
    const counts = async () => {
      const { rows } = await pool.query<{ key: string; count: number }>(`SELECT key, count FROM rate_limit_counters WHERE key LIKE $1 || '%' ORDER BY key`, [prefix]);
      return Object.fromEntries(rows.map((r) => [r.key.slice(prefix.length + 1), r.count]));
    };
    const store = createAdmitStore(pool);
    const calls = [[check("a", 10), check("b", 2)], [check("a", 10), check("b", 2)], [check("a", 10), check("b", 2)], [check("a", 10)]];
    const first = await store.admit({ confirm, calls, rows: calls.map((_, i) => row(`cbc-${prefix}-${i}`, i)) });
    expect(first).toMatchObject({ confirmed: true, calls: [null, null, [`${prefix}:b`], null] });
    expect(await counts()).toEqual({ a: 3, b: 2 });
    // b is full now: a call under it is refused and counts nowhere; a call under a alone still counts.
    const second = await store.admit({ confirm, calls: [[check("a", 10), check("b", 2)], [check("a", 10)]], rows: [row(`cbc-${prefix}-4`, 0), row(`cbc-${prefix}-5`, 1)] });
    expect(second).toMatchObject({ confirmed: true, calls: [[`${prefix}:b`], null] });
    expect(await counts()).toEqual({ a: 4, b: 2 });
    // A counter whose max is below what one request asks of it, new at that: created at 0, nothing over its max.
    const third = await store.admit({ confirm, calls: [[check("c", 1)], [check("c", 1)]], rows: [row(`cbc-${prefix}-6`, 0), row(`cbc-${prefix}-7`, 1)] });
    expect(third).toMatchObject({ confirmed: true, calls: [null, [`${prefix}:c`]] });
    expect(await counts()).toEqual({ a: 4, b: 2, c: 1 });
    const { rows: recorded } = await pool.query<{ request_id: string }>(`SELECT request_id FROM audit_events WHERE request_id LIKE $1 ORDER BY request_id`, [`cbc-${prefix}-%`]);
    expect(recorded.map((r) => r.request_id.slice(-1))).toEqual(["0", "1", "3", "5", "6"]);
  });

  it("counts and records nothing for a request it cannot confirm (an old revision, another grant's session, another workspace)", async () => {
    const { serverId, key, grantId } = await setup("unconfirmed", upstream.url);
    const { hashGrantKey } = await import("@/lib/grants/grant-key");
    const store = createAdmitStore(getPool());
    const prefix = `test:${randomUUID()}`;
    const { rows: server } = await getPool().query<{ gateway_revision: number }>(`SELECT gateway_revision FROM mcp_servers WHERE id = $1`, [serverId]);
    const base = { workspaceId: caller.workspaceId, grantId, keyHash: hashGrantKey(key), serverId, revision: server[0]!.gateway_revision, sessionHash: null as string | null, sessionUsedSince: 0 };
    const otherWorkspace = randomUUID();
    await getPool().query(`INSERT INTO workspaces (id, name) VALUES ($1, 'another workspace')`, [otherWorkspace]);
    const request = (confirm: typeof base) => ({
      confirm,
      calls: [[{ key: `${prefix}:x`, windowEnd: Date.now() + 60_000, max: 5, scope: "grant", counter: "x", window: "minute" } as never]],
      rows: [{
        workspaceId: caller.workspaceId, serverId, grantId, requestId: `u-${prefix}`, method: "tools/call", tool: "list_files", decision: "allow" as const,
        code: null, rule: null, reason: null, upstreamStatus: null, gatewayMs: null, upstreamMs: null, argumentNames: [], argumentsSha256: null,
        forwarded: true, call: 0,
      }],
    });
    const results = await Promise.all([
      store.admit(request({ ...base, revision: base.revision - 1 })),
      store.admit(request({ ...base, sessionHash: "no-such-session" })),
      store.admit(request({ ...base, keyHash: "0".repeat(64) })),
      // The grant, server and rows are another workspace's than the one named: its counters and trail stay untouched.
      store.admit(request({ ...base, workspaceId: otherWorkspace })),
    ]);
    expect(results.map((r) => r.confirmed)).toEqual([false, false, false, false]);
    const counted = await getPool().query(`SELECT 1 FROM rate_limit_counters WHERE key LIKE $1 || '%'`, [prefix]);
    expect(counted.rowCount).toBe(0);
    const recorded = await getPool().query(`SELECT 1 FROM audit_events WHERE request_id = $1`, [`u-${prefix}`]);
    expect(recorded.rowCount).toBe(0);
    // The same request, confirmed, is counted and recorded.
    expect(await store.admit(request(base))).toMatchObject({ confirmed: true, calls: [null] });
    expect((await getPool().query(`SELECT 1 FROM audit_events WHERE request_id = $1`, [`u-${prefix}`])).rowCount).toBe(1);
  });
});
