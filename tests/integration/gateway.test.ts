import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { createGatewayHandler } from "@/lib/gateway/handler";
import { gatewayListener } from "../support/gateway-mount";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import { createGrant, revokeGrant } from "@/lib/grants/grants";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import { registerServer } from "@/lib/servers/register-server";
import { outcomesRecorded } from "../support/audit-outcomes";
import { startServerEverything, type RunningEverything } from "../support/server-everything";
import { startTestMcpServer, type TestMcpServer } from "../support/test-mcp-server";

// The gateway end to end: the official SDK client -> the handler (on node:http, as the standalone tier mounts it)
// -> real MCP upstreams, on a real PostgreSQL.

let caller: Caller;
let test: TestMcpServer;
let everything: RunningEverything;
let gateway: Server;
let gatewayOrigin: string;
let testServerId: string;
let everythingId: string;
let unpolicedId: string;
let key: string;
let grantId: string;
const clients: Client[] = [];

const POLICY = {
  version: "1",
  default: "deny",
  tools: {
    list_files: {},
    "get_*": {},
    send_email: { args: { to: { pattern: "@example\\.com$" } } },
    create_refund: { limits: [{ counter: "refunds", window: "minute", max: 10, scope: "grant" }] },
    run_command: { action: "require_approval", reason: "Commands change the host.", approval_timeout_seconds: 1 },
    delete_file: { action: "deny" },
  },
};

const gatewayUrl = (serverId: string) => `${gatewayOrigin}/gateway/${serverId}/mcp`;

async function connect(serverId: string, withKey = key): Promise<Client> {
  const client = new Client({ name: "gateway-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(gatewayUrl(serverId)), {
    requestInit: { headers: { authorization: `Bearer ${withKey}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

async function allTools(client: Client): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

/** Windows are fixed UTC minutes: start a limit test at least 3 s before the next boundary so one window holds it. */
async function awayFromMinuteBoundary(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 3_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

const textOf = (result: unknown) => ((result as { content: { text: string }[] }).content[0]?.text ?? "");
const metaOf = (result: unknown) => (result as { _meta?: Record<string, { code: string }> })._meta?.["portcullis/decision"];

beforeAll(async () => {
  const account = await signUp({ email: `gateway-${randomUUID()}@example.com`, password: "a long test password" });
  caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
  [test, everything] = await Promise.all([startTestMcpServer({ token: "upstream-s3cret" }), startServerEverything("streamableHttp")]);
  const testServer = await registerServer(caller, {
    name: "test",
    url: `${test.origin}/private`,
    transport: "streamable_http",
    credentials: { type: "bearer", token: "upstream-s3cret" },
  });
  testServerId = testServer.id;
  await savePolicyVersion(caller, testServerId, { text: JSON.stringify(POLICY), message: "gateway test" });
  everythingId = (await registerServer(caller, { name: "everything", url: everything.url, transport: "streamable_http" })).id;
  await savePolicyVersion(caller, everythingId, { text: JSON.stringify({ version: "1", default: "deny", tools: { echo: {}, "trigger-long-running-operation": {} } }), message: "echo and progress" });
  unpolicedId = (await registerServer(caller, { name: "no policy", url: test.url, transport: "streamable_http" })).id;
  const created = await createGrant(caller, { name: "sdk client", serverIds: [testServerId, everythingId, unpolicedId] });
  key = created.key;
  grantId = created.grant.id;

  gateway = createServer(gatewayListener(createGatewayHandler(createDatabaseGatewayDeps())));
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  gatewayOrigin = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  gateway?.closeAllConnections();
  await new Promise((resolve) => gateway?.close(resolve));
  await Promise.all([test?.close(), everything?.stop()]);
});

describe("the gateway with the SDK client", () => {
  it("lists only the tools the policy may allow, across every page, narrowed", async () => {
    const client = await connect(testServerId);
    const tools = await allTools(client);
    const names = tools.map((t) => t.name).sort();
    expect(names).toContain("list_files");
    expect(names).toContain("get_record_24");
    expect(names).not.toContain("delete_file");
    expect(names).toHaveLength(24); // 25 upstream tools, delete_file hidden
    const email = tools.find((t) => t.name === "send_email");
    expect(JSON.stringify(email?.inputSchema)).toContain("@example\\\\.com$");
  });

  it("forwards an allowed call with the server's credentials, never the client's key", async () => {
    const client = await connect(testServerId);
    const result = await client.callTool({ name: "list_files", arguments: { path: "/tmp" } });
    expect(textOf(result)).toBe("called list_files");
    expect(test.seenAuthorization.length).toBeGreaterThan(0);
    expect(test.seenAuthorization.every((h) => h === "Bearer upstream-s3cret")).toBe(true);
    expect(test.seenAuthorization.some((h) => h.includes("pcg_"))).toBe(false);
  });

  it("answers a hidden or unknown tool with -32602", async () => {
    const client = await connect(testServerId);
    await expect(client.callTool({ name: "delete_file", arguments: { path: "/" } })).rejects.toMatchObject({ code: -32602 });
    await expect(client.callTool({ name: "no_such_tool", arguments: {} })).rejects.toMatchObject({ code: -32602 });
  });

  it("refuses an argument violation, and answers a held call nobody decided with a result the agent can read", async () => {
    const client = await connect(testServerId);
    const bad = await client.callTool({ name: "send_email", arguments: { to: "someone@evil.test", subject: "hi" } });
    expect(bad.isError).toBe(true);
    expect(metaOf(bad)?.code).toBe("argument_violation");
    expect(textOf(bad)).toMatch(/to/);
    const ok = await client.callTool({ name: "send_email", arguments: { to: "a@example.com" } });
    expect(ok.isError).toBeFalsy();
    const held = await client.callTool({ name: "run_command", arguments: { command: "ls" } });
    expect(held.isError).toBe(true);
    expect(metaOf(held)?.code).toBe("approval_pending");
    expect(textOf(held)).toMatch(/approval/);
  });

  it("lets exactly 10 of 20 concurrent calls through a limit of 10", async () => {
    const client = await connect(testServerId);
    await awayFromMinuteBoundary();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.callTool({ name: "create_refund", arguments: { charge_id: `ch_${i}`, amount: 5 } })),
    );
    const passed = results.filter((r) => !r.isError);
    const limited = results.filter((r) => r.isError);
    expect(passed).toHaveLength(10);
    expect(limited).toHaveLength(10);
    expect(limited.every((r) => metaOf(r)?.code === "rate_limited")).toBe(true);
    expect(textOf(limited[0])).toMatch(/Retry after \d+ second/);
  });

  it("keeps the limit exact across two gateway instances on one database", async () => {
    const second = createServer(gatewayListener(createGatewayHandler(createDatabaseGatewayDeps())));
    await new Promise<void>((resolve) => second.listen(0, "127.0.0.1", resolve));
    try {
      const { key: ownKey } = await createGrant(caller, { name: "two instances", serverIds: [testServerId] });
      const secondOrigin = `http://127.0.0.1:${(second.address() as AddressInfo).port}`;
      const a = await connect(testServerId, ownKey);
      const b = new Client({ name: "gateway-test-b", version: "1.0.0" });
      await b.connect(new StreamableHTTPClientTransport(new URL(`${secondOrigin}/gateway/${testServerId}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${ownKey}` } },
      }));
      clients.push(b);
      await awayFromMinuteBoundary();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).callTool({ name: "create_refund", arguments: { charge_id: `two_${i}` } })),
      );
      expect(results.filter((r) => !r.isError)).toHaveLength(10);
      expect(results.filter((r) => metaOf(r)?.code === "rate_limited")).toHaveLength(10);
    } finally {
      second.closeAllConnections();
      await new Promise((resolve) => second.close(resolve));
    }
  });

  it("works with server-everything: only the allowed tools are listed, and echo is callable", async () => {
    const client = await connect(everythingId);
    const tools = await allTools(client);
    expect(tools.map((t) => t.name).sort()).toEqual(["echo", "trigger-long-running-operation"]);
    const result = await client.callTool({ name: "echo", arguments: { message: "hello through the gateway" } });
    expect(textOf(result)).toContain("hello through the gateway");
  });

  it("streams progress notifications as they happen, not buffered until the result", async () => {
    const client = await connect(everythingId);
    const started = Date.now();
    const progressAt: number[] = [];
    const result = await client.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 1, steps: 4 } },
      undefined,
      { onprogress: () => progressAt.push(Date.now() - started) },
    );
    const doneAt = Date.now() - started;
    expect(result.isError).toBeFalsy();
    expect(progressAt.length).toBe(4);
    expect(progressAt[0]).toBeLessThan(doneAt - 400);
  });

  it("denies everything on a server without a saved policy (default deny)", async () => {
    const client = await connect(unpolicedId);
    expect(await allTools(client)).toEqual([]);
    await expect(client.callTool({ name: "list_files", arguments: {} })).rejects.toMatchObject({ code: -32602 });
  });
});

describe("the gateway's HTTP rules", () => {
  const initialize = JSON.stringify({
    jsonrpc: "2.0", id: 1, method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
  });
  const headers = (extra: Record<string, string> = {}) => ({
    "content-type": "application/json", accept: "application/json, text/event-stream", ...extra,
  });

  it("answers 401 with WWW-Authenticate without a key, with a bad key, and with a revoked key", async () => {
    const none = await fetch(gatewayUrl(testServerId), { method: "POST", headers: headers(), body: initialize });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const { grant, key: revokedKey } = await createGrant(caller, { name: "to revoke", serverIds: [testServerId] });
    const before = await fetch(gatewayUrl(testServerId), { method: "POST", headers: headers({ authorization: `Bearer ${revokedKey}` }), body: initialize });
    expect(before.status).toBe(200);
    await before.body?.cancel();
    await revokeGrant(caller, grant.id);
    const after = await fetch(gatewayUrl(testServerId), { method: "POST", headers: headers({ authorization: `Bearer ${revokedKey}` }), body: initialize });
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toMatch(/invalid_token/);
  });

  it("records each request refused for its key in the server's trail, naming a grant only of the server's own workspace", async () => {
    const call = (tool: string) => JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: tool, arguments: { secret: "never-recorded" } } });
    const probe = randomUUID();
    const send = async (tool: string, authorization?: string) => {
      const response = await fetch(gatewayUrl(testServerId), { method: "POST", headers: headers(authorization ? { authorization } : {}), body: call(`${probe}-${tool}`) });
      expect(response.status).toBe(401);
      await response.body?.cancel();
    };
    const revoked = await createGrant(caller, { name: "revoked probe", serverIds: [testServerId] });
    await revokeGrant(caller, revoked.grant.id);
    const elsewhere = await createGrant(caller, { name: "other server only", serverIds: [everythingId] });
    const stranger = await signUp({ email: `stranger-${randomUUID()}@example.com`, password: "a long test password" });
    const strangerCaller: Caller = { userId: stranger.user.id, email: stranger.user.email, workspaceId: stranger.workspace.id, via: "session" };
    const strangerServer = await registerServer(strangerCaller, { name: "theirs", url: test.url, transport: "streamable_http" });
    const foreign = await createGrant(strangerCaller, { name: "foreign", serverIds: [strangerServer.id] });

    await send("missing");
    await send("garbage", "Bearer not-a-key");
    await send("unknown", `Bearer pcg_${"x".repeat(43)}`);
    await send("revoked", `Bearer ${revoked.key}`);
    await send("not-granted", `Bearer ${elsewhere.key}`);
    await send("foreign", `Bearer ${foreign.key}`);

    let rows: { tool: string; grantId: string | null; decision: string; code: string | null; method: string | null; workspaceId: string; reason: string | null; argumentNames: string[] }[] = [];
    for (let i = 0; i < 100 && rows.length < 6; i++) {
      rows = await getPrisma().auditEvent.findMany({
        where: { tool: { startsWith: probe } },
        select: { tool: true, grantId: true, decision: true, code: true, method: true, workspaceId: true, reason: true, argumentNames: true },
      }) as typeof rows;
      if (rows.length < 6) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const byTool = Object.fromEntries(rows.map((r) => [r.tool.slice(probe.length + 1), r]));
    expect(Object.keys(byTool).sort()).toEqual(["foreign", "garbage", "missing", "not-granted", "revoked", "unknown"]);
    for (const row of rows) {
      expect(row).toMatchObject({ decision: "deny", method: "tools/call", workspaceId: caller.workspaceId, argumentNames: [] });
      expect(JSON.stringify(row)).not.toContain("never-recorded");
    }
    expect(byTool.missing).toMatchObject({ code: "key_missing", grantId: null });
    expect(byTool.garbage).toMatchObject({ code: "key_unknown", grantId: null });
    expect(byTool.unknown).toMatchObject({ code: "key_unknown", grantId: null });
    expect(byTool.revoked).toMatchObject({ code: "key_revoked", grantId: revoked.grant.id });
    expect(byTool["not-granted"]).toMatchObject({ code: "key_not_granted", grantId: elsewhere.grant.id });
    // Another workspace's grant is not named in this one's trail, and nothing lands in the other workspace's.
    expect(byTool.foreign).toMatchObject({ code: "key_unknown", grantId: null });
    expect(await getPrisma().auditEvent.count({ where: { workspaceId: strangerCaller.workspaceId } })).toBe(0);
    for (const [tool, row] of Object.entries(byTool)) expect(row.reason, tool).toMatch(/Answered 401\.$/);
    expect(JSON.stringify(rows)).not.toContain(revoked.key);
  });

  it("answers 404 to an unknown session and 403 to a foreign browser origin", async () => {
    const unknown = await fetch(gatewayUrl(testServerId), {
      method: "POST",
      headers: headers({ authorization: `Bearer ${key}`, "mcp-session-id": "not-a-session", "mcp-protocol-version": "2025-06-18" }),
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
    });
    expect(unknown.status).toBe(404);
    const foreign = await fetch(gatewayUrl(testServerId), {
      method: "POST", headers: headers({ authorization: `Bearer ${key}`, origin: "http://evil.example" }), body: initialize,
    });
    expect(foreign.status).toBe(403);
  });

  it("refuses a Host outside the configured list (421) when one is set", async () => {
    const strict = createServer(gatewayListener(createGatewayHandler(createDatabaseGatewayDeps({ allowedHosts: ["gateway.example"] }))));
    await new Promise<void>((resolve) => strict.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(strict.address() as AddressInfo).port}/gateway/${testServerId}/mcp`;
      const response = await fetch(url, { method: "POST", headers: headers({ authorization: `Bearer ${key}` }), body: initialize });
      expect(response.status).toBe(421);
    } finally {
      strict.closeAllConnections();
      await new Promise((resolve) => strict.close(resolve));
    }
  });

  it("mints its own session id, not the upstream's", async () => {
    const response = await fetch(gatewayUrl(testServerId), { method: "POST", headers: headers({ authorization: `Bearer ${key}` }), body: initialize });
    expect(response.status).toBe(200);
    expect(response.headers.get("mcp-session-id")).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await response.body?.cancel();
  });

  it("refuses a batch under a protocol version without batching, forwarding nothing", async () => {
    const seen = test.seenAuthorization.length;
    const response = await fetch(gatewayUrl(testServerId), {
      method: "POST",
      headers: headers({ authorization: `Bearer ${key}`, "mcp-protocol-version": "2025-06-18" }),
      body: JSON.stringify([{ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "delete_file", arguments: { path: "/" } } }]),
    });
    expect(response.status).toBe(400);
    expect(test.seenAuthorization.length).toBe(seen);
  });
});

describe("batches and failures", () => {
  const post = (body: unknown, extra: Record<string, string> = {}) =>
    fetch(gatewayUrl(testServerId), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${key}`, ...extra },
      body: JSON.stringify(body),
    });
  const messagesOf = async (response: Response): Promise<{ id: number; result?: unknown; error?: { code: number } }[]> => {
    const text = await response.text();
    if ((response.headers.get("content-type") ?? "").includes("application/json")) return [JSON.parse(text)].flat();
    return text.split("\n").filter((l) => l.startsWith("data:")).flatMap((l) => [JSON.parse(l.slice(5))].flat());
  };

  it("checks each element of a 2025-03-26 batch on its own", async () => {
    const seen = test.seenAuthorization.length;
    const response = await post(
      [
        { jsonrpc: "2.0", id: 11, method: "tools/call", params: { name: "list_files", arguments: { path: "/" } } },
        { jsonrpc: "2.0", id: 12, method: "tools/call", params: { name: "delete_file", arguments: { path: "/" } } },
        { jsonrpc: "2.0", id: 13, method: "tools/call", params: { name: "send_email", arguments: { to: "x@evil.test" } } },
      ],
      { "mcp-protocol-version": "2025-03-26" },
    );
    expect(response.status).toBe(200);
    const byId = new Map((await messagesOf(response)).map((m) => [m.id, m]));
    expect(byId.get(12)?.error?.code).toBe(-32602);
    expect(metaOf(byId.get(13)?.result)?.code).toBe("argument_violation");
    expect(textOf(byId.get(11)?.result)).toBe("called list_files");
    expect(test.seenAuthorization.length).toBe(seen + 1); // one upstream request, carrying only the allowed call
  });

  it("fails closed when the database cannot answer: nothing is forwarded", async () => {
    const down = () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432"));
    const broken = createServer(gatewayListener(createGatewayHandler(createDatabaseGatewayDeps({ lookup: down }))));
    await new Promise<void>((resolve) => broken.listen(0, "127.0.0.1", resolve));
    const seen = test.seenAuthorization.length;
    try {
      const url = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/gateway/${testServerId}/mcp`;
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${key}` },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "list_files", arguments: {} } }),
      });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/could not reach its database/);
      expect(test.seenAuthorization.length).toBe(seen);
    } finally {
      broken.closeAllConnections();
      await new Promise((resolve) => broken.close(resolve));
    }
  });

  it("answers 503 and forwards nothing when the counters cannot be reached, though the lookup was answered", async () => {
    // Calls are counted by the admit statement (lib/gateway/admit.ts), with the confirmation and the audit row: its
    // failure is the database's, answered like a failed lookup (e2e/database-lifecycle.spec.ts stops a real one).
    const admit = {
      admit: () => Promise.reject(new Error("pool closed")),
      complete: () => {},
      flush: async () => {},
    };
    const broken = createServer(gatewayListener(createGatewayHandler(createDatabaseGatewayDeps({ admit }))));
    await new Promise<void>((resolve) => broken.listen(0, "127.0.0.1", resolve));
    const seen = test.seenAuthorization.length;
    try {
      const url = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/gateway/${testServerId}/mcp`;
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${key}` },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "create_refund", arguments: {} } }),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/could not reach its database/);
      expect(test.seenAuthorization.length).toBe(seen);
    } finally {
      broken.closeAllConnections();
      await new Promise((resolve) => broken.close(resolve));
    }
  });

  it("ends a session with DELETE: the id is then unknown (404)", async () => {
    const client = await connect(everythingId);
    const transport = client.transport as StreamableHTTPClientTransport;
    const id = transport.sessionId;
    // The gateway's own id (24 random bytes, base64url), never the upstream's.
    expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await transport.terminateSession();
    const after = await fetch(gatewayUrl(everythingId), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${key}`, "mcp-session-id": String(id), "mcp-protocol-version": "2025-06-18" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 5, method: "tools/list" }),
    });
    expect(after.status).toBe(404);
  });
});

describe("the audit trail", () => {
  it("records calls with argument names and a digest, never their values", async () => {
    const client = await connect(testServerId);
    const secret = `value-${randomUUID()}`;
    await client.callTool({ name: "list_files", arguments: { path: secret } });
    await client.callTool({ name: "send_email", arguments: { to: secret } });
    await outcomesRecorded(grantId);
    const rows = await getPrisma().auditEvent.findMany({ where: { grantId }, orderBy: { at: "asc" } });
    expect(rows.length).toBeGreaterThan(10);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(JSON.stringify(rows)).not.toContain(key);
    const calls = rows.filter((r) => r.tool === "list_files");
    expect(calls.at(-1)).toMatchObject({ method: "tools/call", decision: "allow", argumentNames: ["path"], upstreamStatus: 200 });
    expect(calls.at(-1)?.argumentsSha256).toMatch(/^[0-9a-f]{64}$/);
    const refused = rows.filter((r) => r.tool === "send_email" && r.code === "argument_violation");
    expect(refused.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.code === "rate_limited")).toHaveLength(10);
    expect(rows.find((r) => r.code === "argument_violation")?.reason).toMatch(/`?to`? \(pattern\)|to \(pattern\)/);
  });
});

describe("state shared through the database", () => {
  const post = (origin: string, serverId: string, withKey: string, body: unknown, extra: Record<string, string> = {}) =>
    fetch(`${origin}/gateway/${serverId}/mcp`, {
      method: "POST",
      headers: {
        "content-type": "application/json", accept: "application/json, text/event-stream",
        authorization: `Bearer ${withKey}`, "mcp-protocol-version": "2025-06-18", ...extra,
      },
      body: JSON.stringify(body),
    });
  const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } };
  /** The one JSON-RPC answer of a response, whether JSON or an SSE stream. */
  const answerOf = async <T,>(response: Response): Promise<T> => {
    const text = await response.text();
    if (!(response.headers.get("content-type") ?? "").includes("text/event-stream")) return JSON.parse(text) as T;
    const data = text.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).filter(Boolean);
    return JSON.parse(data.at(-1)!) as T;
  };
  const call = (id: number, name: string) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: {} } });

  async function withSecondInstance(run: (origin: string) => Promise<void>) {
    const second = createServer(gatewayListener(createGatewayHandler(createDatabaseGatewayDeps())));
    await new Promise<void>((resolve) => second.listen(0, "127.0.0.1", resolve));
    try {
      await run(`http://127.0.0.1:${(second.address() as AddressInfo).port}`);
    } finally {
      second.closeAllConnections();
      await new Promise((resolve) => second.close(resolve));
    }
  }

  it("continues a session on another instance (no sticky routing), and a DELETE on one ends it on both", async () => {
    await withSecondInstance(async (secondOrigin) => {
      const init = await post(gatewayOrigin, testServerId, key, initialize);
      expect(init.status).toBe(200);
      await init.text();
      const session = init.headers.get("mcp-session-id")!;
      expect(session).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const elsewhere = await post(secondOrigin, testServerId, key, call(2, "list_files"), { "mcp-session-id": session });
      expect(elsewhere.status).toBe(200);
      expect(await elsewhere.text()).toContain("called list_files");
      const ended = await fetch(`${secondOrigin}/gateway/${testServerId}/mcp`, {
        method: "DELETE", headers: { authorization: `Bearer ${key}`, "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" },
      });
      await ended.body?.cancel();
      const after = await post(gatewayOrigin, testServerId, key, call(3, "list_files"), { "mcp-session-id": session });
      expect(after.status).toBe(404);
      // The session id itself is never stored, only its digest.
      const stored = await getPrisma().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM gateway_sessions WHERE id_hash = ${session}`;
      expect(Number(stored[0]!.n)).toBe(0);
    });
  });

  it("a session is bound to its grant: another grant's key gets 404 with it", async () => {
    const init = await post(gatewayOrigin, testServerId, key, initialize);
    await init.text();
    const { key: otherKey } = await createGrant(caller, { name: "other", serverIds: [testServerId] });
    const stolen = await post(gatewayOrigin, testServerId, otherKey, call(2, "list_files"), { "mcp-session-id": init.headers.get("mcp-session-id")! });
    expect(stolen.status).toBe(404);
  });

  it("serves a newly saved policy on the next call, on every instance, though each had the old one cached", async () => {
    const serverId = (await registerServer(caller, { name: `policy changes ${randomUUID().slice(0, 6)}`, url: test.url, transport: "streamable_http" })).id;
    await savePolicyVersion(caller, serverId, { text: JSON.stringify({ version: "1", default: "deny", tools: { list_files: {} } }), message: "allow" });
    const { key: ownKey } = await createGrant(caller, { name: "policy changes", serverIds: [serverId] });
    await withSecondInstance(async (secondOrigin) => {
      for (const origin of [gatewayOrigin, secondOrigin]) {
        expect(await (await post(origin, serverId, ownKey, call(1, "list_files"))).text()).toContain("called list_files");
      }
      await savePolicyVersion(caller, serverId, { text: JSON.stringify({ version: "1", default: "deny", tools: { list_files: { action: "deny" } } }), message: "deny", basedOn: 1 });
      for (const origin of [gatewayOrigin, secondOrigin]) {
        const denied = (await (await post(origin, serverId, ownKey, call(2, "list_files"))).json()) as { error?: { code: number } };
        expect(denied.error?.code).toBe(-32602);
      }
    });
  });

  it("neither lists nor forwards a tool the upstream added since the last sync (never classified)", async () => {
    const upstream = await startTestMcpServer({ pageSize: 50 });
    try {
      const serverId = (await registerServer(caller, { name: `added ${randomUUID().slice(0, 6)}`, url: upstream.url, transport: "streamable_http" })).id;
      await savePolicyVersion(caller, serverId, { text: JSON.stringify({ version: "1", default: "allow", tools: {} }), message: "allow all" });
      const { key: ownKey } = await createGrant(caller, { name: "added", serverIds: [serverId] });
      upstream.tools.push({ name: "brand_new_tool", description: "Appeared after the sync.", inputSchema: { type: "object" } });
      const listed = await answerOf<{ result: { tools: { name: string }[] } }>(await post(gatewayOrigin, serverId, ownKey, { jsonrpc: "2.0", id: 1, method: "tools/list" }));
      const names = listed.result.tools.map((t) => t.name);
      expect(names).toContain("list_files");
      expect(names).not.toContain("brand_new_tool");
      const called = await answerOf<{ error?: { code: number } }>(await post(gatewayOrigin, serverId, ownKey, call(2, "brand_new_tool")));
      expect(called.error?.code).toBe(-32602);
    } finally {
      await upstream.close();
    }
  });

  it("refuses a tool on the next call once its definition awaits review, and serves it again once accepted", async () => {
    const serverId = (await registerServer(caller, { name: `review ${randomUUID().slice(0, 6)}`, url: test.url, transport: "streamable_http" })).id;
    await savePolicyVersion(caller, serverId, { text: JSON.stringify({ version: "1", default: "deny", tools: { list_files: {} } }), message: "allow" });
    const { key: ownKey } = await createGrant(caller, { name: "review", serverIds: [serverId] });
    expect(await (await post(gatewayOrigin, serverId, ownKey, call(1, "list_files"))).text()).toContain("called list_files");
    const prisma = getPrisma();
    await prisma.tool.updateMany({ where: { serverId, name: "list_files" }, data: { status: "needs_review" } });
    const held = (await (await post(gatewayOrigin, serverId, ownKey, call(2, "list_files"))).json()) as { result: unknown };
    expect(metaOf(held.result)?.code).toBe("needs_review");
    await prisma.tool.updateMany({ where: { serverId, name: "list_files" }, data: { status: "active" } });
    expect(await (await post(gatewayOrigin, serverId, ownKey, call(3, "list_files"))).text()).toContain("called list_files");
  });
});
