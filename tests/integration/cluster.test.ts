import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema, LoggingMessageNotificationSchema, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import { decideApproval, listApprovals, type ApprovalView } from "@/lib/approvals/approvals";
import type { Caller } from "@/lib/auth/caller";
import { NO_DATABASE, startCluster, type Cluster, type ClusterInstance } from "@/lib/cluster/cluster";
import { getPool } from "@/lib/db/client";
import { createGrant, revokeGrant } from "@/lib/grants/grants";
import { argumentDigest } from "@/lib/mcp/argument-digest";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import { registerServer } from "@/lib/servers/register-server";
import { startV2McpServer, type V2McpServer } from "../support/v2-mcp-server";

// Many instances, one truth: three gateway-only instances of scripts/server.ts on one PostgreSQL behind HAProxy
// round robin, started by lib/cluster/cluster.ts as `npm run cluster` starts them. The official SDK clients talk to
// HAProxy; each instance's /metrics tells which instance served what. HAProxy must be installed (Debian package
// `haproxy`): without it this file fails with the sentence saying how to install it, it is never skipped.

const METRICS_TOKEN = "cluster-metrics-token-cluster-metrics-token";
const POLICY = {
  version: "1",
  default: "deny",
  tools: {
    echo: {},
    count_me: { limits: [{ counter: "count_me", window: "hour", max: 10, scope: "grant" }] },
    deploy: { action: "require_approval", approval_timeout_seconds: 20 },
  },
};
const MESSAGE_SCHEMA = { type: "object" as const, properties: { message: { type: "string" } } };
const TOOLS = [
  { name: "echo", description: "Returns its message.", inputSchema: MESSAGE_SCHEMA },
  { name: "count_me", description: "Returns its message; rate-limited.", inputSchema: MESSAGE_SCHEMA },
  { name: "deploy", description: "Deploys to a target.", inputSchema: MESSAGE_SCHEMA },
] satisfies Tool[];

let cluster: Cluster;
let caller: Caller;
let upstream: EchoUpstream;
let v2Upstream: V2McpServer;
let notifier: { url: string; close(): Promise<void> };
let serverId: string;
let v2ServerId: string;
let notifierId: string;
let key: string;
let grantId: string;
const closers: (() => Promise<unknown>)[] = [];
const problems: string[] = [];

/**
 * A real MCP server (the SDK's, stateless, JSON answers) whose tools answer with their `message` argument, so a wrong
 * answer cannot pass for a right one. An echo whose message starts with `slow-` waits until `releaseSlow()`.
 */
interface EchoUpstream {
  url: string;
  /** `tool:message` of every call received, in order. */
  calls: string[];
  /** Slow calls received and not yet answered. */
  waiting: () => number;
  releaseSlow(): void;
  close(): Promise<void>;
}

async function startEchoUpstream(): Promise<EchoUpstream> {
  const calls: string[] = [];
  let waiting = 0;
  let release!: () => void;
  const slowGate = new Promise<void>((resolve) => (release = resolve));
  const mcpServer = () => {
    const server = new Server({ name: "cluster-echo", version: "1.0.0" }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      const message = String(request.params.arguments?.message ?? "");
      calls.push(`${request.params.name}:${message}`);
      if (message.startsWith("slow-")) {
        waiting++;
        await slowGate;
        waiting--;
      }
      return { content: [{ type: "text", text: message }] };
    });
    return server;
  };
  const http: HttpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    const server = mcpServer();
    res.on("close", () => void transport.close().then(() => server.close()));
    void server.connect(transport).then(() => transport.handleRequest(req, res));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    calls,
    waiting: () => waiting,
    releaseSlow: () => release(),
    close: async () => {
      release();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

/**
 * A stateful MCP server (the SDK's, one session per initialize) whose `announce` tool sends its message as a log
 * notification on the session's own event stream (the client's GET), not on the call's answer.
 */
async function startNotifierUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http = createServer((req, res) => {
    const id = req.headers["mcp-session-id"];
    const existing = typeof id === "string" ? sessions.get(id) : undefined;
    if (existing) return void existing.handleRequest(req, res);
    const server = new Server({ name: "cluster-notifier", version: "1.0.0" }, { capabilities: { tools: {}, logging: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: "announce", inputSchema: { type: "object", properties: { message: { type: "string" } } } }] }));
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      await server.notification({ method: "notifications/message", params: { level: "info", data: String(request.params.arguments?.message) } });
      return { content: [{ type: "text", text: "announced" }] };
    });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => void sessions.set(sid, transport) });
    void server.connect(transport).then(() => transport.handleRequest(req, res));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    close: async () => {
      await Promise.all([...sessions.values()].map((t) => t.close().catch(() => {})));
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** The 1.x SDK client through HAProxy (or `origin`); `fetch` may reroute single requests. */
async function connect(options: { origin?: string; key?: string; server?: string; fetch?: Fetch } = {}): Promise<Client> {
  const client = new Client({ name: "cluster-test", version: "1.0.0" });
  const url = new URL(`${options.origin ?? cluster.frontUrl}/gateway/${options.server ?? serverId}/mcp`);
  await client.connect(
    new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${options.key ?? key}` } }, ...(options.fetch ? { fetch: options.fetch } : {}) }),
  );
  closers.push(() => client.close());
  return client;
}

type CallResult = { content: { type: string; text?: string }[]; isError?: boolean; _meta?: Record<string, { code: string }> };
const textOf = (result: unknown) => (result as CallResult).content.map((c) => c.text ?? "").join("");
const codeOf = (result: unknown) => (result as CallResult)._meta?.["portcullis/decision"]?.code;

/** An instance's metrics, as `name{labels}` -> value (Prometheus text format). */
async function scrape(instance: ClusterInstance): Promise<{ name: string; labels: Record<string, string>; value: number }[]> {
  const response = await fetch(`${instance.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  const series = [];
  for (const line of (await response.text()).split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[name!] = value!;
    series.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return series;
}

/** The sum of a metric's series matching these labels, on one instance. */
async function metric(instance: ClusterInstance, name: string, labels: Record<string, string> = {}): Promise<number> {
  return (await scrape(instance))
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Per instance, how many tools/call messages it decided with `decision` (for `server`), as a list by instance. */
const decidedCalls = (decision: string, server = serverId) =>
  Promise.all(cluster.instances.map((i) => metric(i, "portcullis_gateway_requests_total", { decision, method: "tools/call", server })));
const minus = (after: number[], before: number[]) => after.map((v, i) => v - before[i]!);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** One JSON-RPC POST straight to an origin (an instance, bypassing HAProxy). */
async function post(origin: string, body: unknown, options: { key?: string; session?: string | null } = {}) {
  const response = await fetch(`${origin}/gateway/${serverId}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${options.key ?? key}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2025-06-18",
      ...(options.session ? { "mcp-session-id": options.session } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text(), session: response.headers.get("mcp-session-id") };
}

/** HAProxy's view of an instance: UP, DOWN... (its statistics as CSV). */
async function backendStatus(instance: ClusterInstance): Promise<string> {
  const [header, ...rows] = (await (await fetch(`${cluster.statsUrl};csv`)).text()).split("\n");
  const columns = header!.replace(/^# /, "").split(",");
  const row = rows.map((line) => line.split(",")).find((cells) => cells[0] === "instances" && cells[1] === `instance${instance.index}`);
  return row?.[columns.indexOf("status")] ?? "";
}

async function pendingApproval(message: string): Promise<ApprovalView> {
  let found: ApprovalView | undefined;
  await expect
    .poll(async () => (found = (await listApprovals(caller, "pending")).find((a) => a.tool === "deploy" && a.arguments?.message === message)), { timeout: 10_000 })
    .toBeDefined();
  return found!;
}

/** The instance holding a call for approval (its held-calls gauge is 1), once it holds it. */
async function holder(): Promise<ClusterInstance> {
  let held: number[] = [];
  await expect
    .poll(async () => (held = await Promise.all(cluster.instances.map((i) => metric(i, "portcullis_gateway_held_calls")))), { timeout: 10_000 })
    .toSatisfy((values: number[]) => sum(values) === 1);
  return cluster.instances[held.indexOf(1)]!;
}

async function auditCodes(approvalId: string): Promise<string[]> {
  const { rows } = await getPool().query(`SELECT code FROM audit_events WHERE grant_id = $1 AND reason LIKE '%' || $2 || '%' ORDER BY at, code`, [grantId, approvalId]);
  return rows.map((r) => r.code);
}

beforeAll(async () => {
  // First, so a machine without HAProxy fails here with the sentence saying how to install it.
  cluster = await startCluster({
    instances: 3,
    databaseUrl: process.env.DATABASE_URL!,
    serverArgs: ["--gateway-only"],
    env: { NODE_ENV: "production", PORTCULLIS_METRICS_TOKEN: METRICS_TOKEN, PORTCULLIS_LOG_FORMAT: "json" },
    // The instances' warnings and errors, shown after the run: what a failure here needs to be understood.
    output: (from, line) => void (/"level":"(warn|error)"|^\[(WARNING|ALERT)\]/.test(line) && problems.push(`[${from}] ${line}`)),
  });
  const account = await signUp({ email: `cluster-${randomUUID()}@example.com`, password: "a long test password" });
  caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
  [upstream, v2Upstream, notifier] = await Promise.all([startEchoUpstream(), startV2McpServer(TOOLS), startNotifierUpstream()]);
  serverId = (await registerServer(caller, { name: "echo", url: upstream.url, transport: "streamable_http" })).id;
  v2ServerId = (await registerServer(caller, { name: "echo v2", url: v2Upstream.url, transport: "streamable_http" })).id;
  notifierId = (await registerServer(caller, { name: "notifier", url: notifier.url, transport: "streamable_http" })).id;
  await savePolicyVersion(caller, serverId, { text: JSON.stringify(POLICY), message: "cluster test" });
  await savePolicyVersion(caller, v2ServerId, { text: JSON.stringify(POLICY), message: "cluster test" });
  await savePolicyVersion(caller, notifierId, { text: JSON.stringify({ version: "1", default: "deny", tools: { announce: {} } }), message: "cluster test" });
  const created = await createGrant(caller, { name: "cluster", serverIds: [serverId, v2ServerId, notifierId] });
  key = created.key;
  grantId = created.grant.id;
}, 120_000);

afterAll(async () => {
  await Promise.all(closers.map((close) => close().catch(() => {})));
  await cluster?.stop();
  if (problems.length > 0) console.log(`cluster: the instances and HAProxy said:\n${problems.join("\n")}`);
  await Promise.all([upstream?.close(), v2Upstream?.close(), notifier?.close()]);
}, 30_000);

describe("a cluster of three instances behind HAProxy", () => {
  it("keeps one Streamable HTTP session of the 1.x client working while its calls land on every instance", async () => {
    const before = await decidedCalls("allow");
    const client = await connect();
    const session = (client.transport as StreamableHTTPClientTransport).sessionId;
    expect(session).toEqual(expect.any(String));
    for (let i = 0; i < 6; i++) {
      const message = `session-${i}-${randomUUID()}`;
      expect(textOf(await client.callTool({ name: "echo", arguments: { message } }))).toBe(message);
    }
    expect((client.transport as StreamableHTTPClientTransport).sessionId).toBe(session);
    const served = minus(await decidedCalls("allow"), before);
    expect(sum(served)).toBe(6);
    // Round robin: every instance served some of this one session's calls.
    for (const count of served) expect(count).toBeGreaterThan(0);
  });

  it("delivers the upstream's own messages on the session's event stream, whichever instance the client's GET reaches", async () => {
    const client = new Client({ name: "cluster-test", version: "1.0.0" });
    const errors: string[] = [];
    const logs: unknown[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params.data));
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${cluster.frontUrl}/gateway/${notifierId}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }),
    );
    closers.push(() => client.close());
    client.onerror = (error) => void errors.push(error.message);
    const announce = async () => {
      const message = `news-${randomUUID()}`;
      expect(textOf(await client.callTool({ name: "announce", arguments: { message } }))).toBe("announced");
      return message;
    };
    // The GET may reach another instance than the one that opened the session's stream early (right after
    // initialized): the upstream allows one stream per session, so that instance is told to let its stream go and the
    // GET is tried again (lib/gateway/relay.ts). Once the stream is open where the GET is, within about a second,
    // every message the upstream sends on its own arrives; one sent during the switch can be lost (README, Cluster).
    await expect.poll(async () => (await announce(), logs.length), { timeout: 10_000, interval: 250 }).toBeGreaterThan(0);
    const later = [await announce(), await announce(), await announce()];
    await expect.poll(() => logs, { timeout: 5_000 }).toEqual(expect.arrayContaining(later));
    // The client never saw the upstream's 409 for a second stream: its stream was not given up on.
    expect(errors).toEqual([]);
  });

  it("serves the 2.x client on the stateless 2026-07-28 revision from every instance", async () => {
    const before = await decidedCalls("allow", v2ServerId);
    const client = new ClientV2({ name: "cluster-v2", version: "2.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } });
    await client.connect(new TransportV2(new URL(`${cluster.frontUrl}/gateway/${v2ServerId}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    closers.push(() => client.close());
    expect(client.getProtocolEra()).toBe("modern");
    for (let i = 0; i < 6; i++) {
      expect(textOf(await client.callTool({ name: "echo", arguments: { message: `v2-${i}` } }))).toBe("called echo");
    }
    const served = minus(await decidedCalls("allow", v2ServerId), before);
    expect(sum(served)).toBe(6);
    for (const count of served) expect(count).toBeGreaterThan(0);
  });

  it.each([20, 500])("allows exactly 10 of %i concurrent calls against max 10, spread over the instances", async (calls) => {
    // A fresh grant: the counter is the grant's own. A burst across an hour's boundary would count in two windows:
    // then it is run again with another grant.
    for (let attempt = 0; ; attempt++) {
      const grant = await createGrant(caller, { name: `burst ${calls}`, serverIds: [serverId] });
      const client = await connect({ key: grant.key });
      const [allowedBefore, limitedBefore] = await Promise.all([decidedCalls("allow"), decidedCalls("rate_limited")]);
      const hour = Math.floor(Date.now() / 3_600_000);
      const results = await Promise.all(
        Array.from({ length: calls }, (_, i) => client.callTool({ name: "count_me", arguments: { message: `${grant.grant.id}-${i}` } })),
      );
      if (Math.floor(Date.now() / 3_600_000) !== hour && attempt === 0) continue;

      const allowed = results.filter((r) => !r.isError);
      expect(allowed).toHaveLength(10);
      for (const r of allowed) expect(textOf(r)).toMatch(new RegExp(`^${grant.grant.id}-\\d+$`));
      expect(results.filter((r) => codeOf(r) === "rate_limited")).toHaveLength(calls - 10);
      expect(upstream.calls.filter((c) => c.startsWith(`count_me:${grant.grant.id}-`))).toHaveLength(10);

      const { rows } = await getPool().query(
        `SELECT decision, count(*)::int AS n FROM audit_events WHERE grant_id = $1 AND method = 'tools/call' GROUP BY decision ORDER BY decision`,
        [grant.grant.id],
      );
      expect(rows).toEqual([
        { decision: "allow", n: 10 },
        { decision: "rate_limited", n: calls - 10 },
      ]);
      const allowedBy = minus(await decidedCalls("allow"), allowedBefore);
      const limitedBy = minus(await decidedCalls("rate_limited"), limitedBefore);
      expect(sum(allowedBy)).toBe(10);
      expect(sum(limitedBy)).toBe(calls - 10);
      // Every instance decided part of the burst.
      for (let i = 0; i < 3; i++) expect(allowedBy[i]! + limitedBy[i]!).toBeGreaterThan(0);
      return;
    }
  });

  it("releases a call held on one instance by a decision made in another process, through the shared database", async () => {
    const client = await connect();
    const message = `release-${randomUUID()}`;
    const call = client.callTool({ name: "deploy", arguments: { message } });
    const approval = await pendingApproval(message);
    const holding = await holder();
    const decided = Date.now();
    // The console's own function, in this test's process: not the instance holding the call.
    await decideApproval(caller, approval.id, { decision: "approve" });
    const result = await call;
    console.log(`cluster: held call released ${Date.now() - decided} ms after the decision (held on instance ${holding.index})`);
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe(message);
    expect(upstream.calls.filter((c) => c === `deploy:${message}`)).toHaveLength(1);
    await expect.poll(() => auditCodes(approval.id)).toEqual(["approval_held", "approval_approved", "approved"]);
  });

  it.each(["the instance holding the call", "another instance"])(
    "withdraws a held call everywhere when the client's cancel reaches %s",
    async (where) => {
      const message = `cancel-${randomUUID()}`;
      // The client's cancel goes to `route.cancelTo` once it is set; everything else through HAProxy.
      const route: { cancelTo?: string } = {};
      const client = await connect({
        fetch: (url, init) => {
          const isCancel = typeof init?.body === "string" && init.body.includes('"notifications/cancelled"');
          return fetch(isCancel && route.cancelTo ? `${route.cancelTo}${new URL(url).pathname}` : url, init);
        },
      });
      const controller = new AbortController();
      const call = client.callTool({ name: "deploy", arguments: { message } }, undefined, { signal: controller.signal });
      const approval = await pendingApproval(message);
      const holding = await holder();
      const other = cluster.instances.find((i) => i !== holding)!;
      route.cancelTo = where === "another instance" ? other.url : holding.url;
      controller.abort("The user pressed stop");
      await expect(call).rejects.toThrow();

      await expect.poll(async () => (await getPool().query(`SELECT status FROM approvals WHERE id = $1`, [approval.id])).rows[0]?.status, { timeout: 5_000 }).toBe("withdrawn");
      await expect.poll(() => metric(holding, "portcullis_gateway_held_calls"), { timeout: 5_000 }).toBe(0);
      await expect(decideApproval(caller, approval.id, { decision: "approve" })).rejects.toMatchObject({ status: 409 });
      await expect.poll(() => auditCodes(approval.id)).toEqual(["approval_held", "approval_withdrawn"]);
      expect(upstream.calls.filter((c) => c === `deploy:${message}`)).toHaveLength(0);
    },
  );

  it("refuses a revoked grant's key on every instance within one second", async () => {
    const grant = await createGrant(caller, { name: "to revoke", serverIds: [serverId] });
    // A session on each instance, each with a call made, so every instance has the grant's lookup cached.
    const sessions: string[] = [];
    for (const instance of cluster.instances) {
      const init = await post(instance.url, { jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "revoke", version: "1" } } }, { key: grant.key });
      expect(init.status).toBe(200);
      sessions.push(init.session!);
      const call = await post(instance.url, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { message: "before" } } }, { key: grant.key, session: init.session });
      expect(call.status).toBe(200);
      expect(call.text).toContain('"before"');
    }
    const upstreamBefore = upstream.calls.length;

    const revoked = Date.now();
    await revokeGrant(caller, grant.grant.id);
    const refusedAfter = await Promise.all(
      cluster.instances.map(async (instance, i) => {
        for (let id = 2; ; id++) {
          const call = await post(instance.url, { jsonrpc: "2.0", id, method: "tools/call", params: { name: "echo", arguments: { message: `after-${id}` } } }, { key: grant.key, session: sessions[i] });
          if (call.status === 401) return Date.now() - revoked;
          expect(call.status).toBe(200);
        }
      }),
    );
    console.log(`cluster: revoked key refused by the instances ${refusedAfter.map((ms) => `${ms} ms`).join(", ")} after the revocation`);
    for (const ms of refusedAfter) expect(ms).toBeLessThanOrEqual(1_000);
    expect(upstream.calls.slice(upstreamBefore).filter((c) => c.startsWith("echo:after-"))).toEqual([]);
  });

  it("survives an instance killed under load: its calls in flight fail cleanly, every answered call is audited, the rest carry on", async () => {
    type Outcome = { message: string; afterKill: boolean; afterDown: boolean; answer?: string; error?: unknown };
    const outcomes: Outcome[] = [];
    let killed = false;
    let down = false;
    const callEcho = async (client: Client, message: string) => {
      const outcome: Outcome = { message, afterKill: killed, afterDown: down };
      outcomes.push(outcome);
      try {
        const result = await client.callTool({ name: "echo", arguments: { message } });
        outcome.answer = result.isError ? `refused: ${textOf(result)}` : textOf(result);
      } catch (error) {
        outcome.error = error;
      }
      return outcome;
    };

    const clients = await Promise.all(Array.from({ length: 6 }, () => connect()));
    // Calls the upstream holds until after the kill, spread by round robin; the instance holding most is killed.
    const beforeSlow = await decidedCalls("allow");
    const slow = clients.map((client, i) => callEcho(client, `slow-${i}-${randomUUID()}`));
    await expect.poll(() => upstream.waiting(), { timeout: 10_000 }).toBe(6);
    const slowOn = minus(await decidedCalls("allow"), beforeSlow);
    expect(sum(slowOn)).toBe(6);
    const victim = cluster.instances[slowOn.indexOf(Math.max(...slowOn))]!;
    const survivors = cluster.instances.filter((i) => i !== victim);

    // Load: every client calls back to back until told to stop.
    let load = true;
    const loops = clients.map(async (client, c) => {
      for (let n = 0; load; n++) await callEcho(client, `load-${c}-${n}-${randomUUID()}`);
    });
    const answered = () => outcomes.filter((o) => o.answer !== undefined).length;
    await expect.poll(answered, { timeout: 20_000 }).toBeGreaterThan(30);
    const allowedBeforeKill = await Promise.all(survivors.map((i) => metric(i, "portcullis_gateway_requests_total", { decision: "allow", method: "tools/call", server: serverId })));

    killed = true;
    await victim.kill("SIGKILL");
    expect(victim.exit?.signal).toBe("SIGKILL");
    const answeredAtKill = answered();
    upstream.releaseSlow();
    // HAProxy's health check takes the instance out; from then on no call may fail.
    await expect.poll(() => backendStatus(victim), { timeout: 10_000 }).toMatch(/^DOWN/);
    down = true;
    await expect.poll(answered, { timeout: 20_000 }).toBeGreaterThan(answeredAtKill + 60);
    load = false;
    await Promise.all([...loops, ...slow]);

    // The calls held on the killed instance failed with an error; every other call got its own message back.
    const slowOutcomes = outcomes.filter((o) => o.message.startsWith("slow-"));
    expect(slowOutcomes.filter((o) => o.error !== undefined)).toHaveLength(Math.max(...slowOn));
    for (const o of outcomes) {
      if (o.error !== undefined) expect(o.error).toBeInstanceOf(Error);
      else expect(o.answer).toBe(o.message);
    }
    const failed = outcomes.filter((o) => o.error !== undefined);
    expect(failed.filter((o) => o.afterDown).map((o) => String(o.error))).toEqual([]);
    console.log(
      `cluster: ${outcomes.length} calls, ${failed.length} failed when instance ${victim.index} was killed ` +
        `(${slowOutcomes.filter((o) => o.error !== undefined).length} held upstream on it, ` +
        `${failed.filter((o) => o.afterKill).length} sent after the kill, before HAProxy took it out): ` +
        [...new Set(failed.map((o) => (o.error as Error).message.slice(0, 80)))].join(" | "),
    );

    // The survivors carried on, and every session still works through HAProxy; so does a new one.
    const allowedAfterKill = await Promise.all(survivors.map((i) => metric(i, "portcullis_gateway_requests_total", { decision: "allow", method: "tools/call", server: serverId })));
    for (let i = 0; i < survivors.length; i++) expect(allowedAfterKill[i]!).toBeGreaterThan(allowedBeforeKill[i]!);
    for (const client of [...clients, await connect()]) {
      const message = `after-${randomUUID()}`;
      expect(textOf(await client.callTool({ name: "echo", arguments: { message } }))).toBe(message);
    }

    // Every answered call has exactly one audit row, and was forwarded once; a failed one at most once.
    const { rows } = await getPool().query<{ arguments_sha256: string; n: number }>(
      `SELECT arguments_sha256, count(*)::int AS n FROM audit_events WHERE grant_id = $1 AND tool = 'echo' AND decision = 'allow' GROUP BY arguments_sha256`,
      [grantId],
    );
    const rowsByDigest = new Map(rows.map((r) => [r.arguments_sha256, r.n]));
    const upstreamCount = (message: string) => upstream.calls.filter((c) => c === `echo:${message}`).length;
    for (const o of outcomes) {
      const digest = argumentDigest({ message: o.message }).sha256;
      if (o.answer !== undefined) {
        expect(rowsByDigest.get(digest), `audit rows of answered call ${o.message}`).toBe(1);
        expect(upstreamCount(o.message)).toBe(1);
      } else {
        expect(rowsByDigest.get(digest) ?? 0).toBeLessThanOrEqual(1);
        expect(upstreamCount(o.message)).toBeLessThanOrEqual(1);
      }
    }
  }, 60_000);
});

describe("npm run cluster", () => {
  it("says in one sentence that a cluster needs a shared PostgreSQL when DATABASE_URL is unset", () => {
    const { DATABASE_URL: _unset, ...env } = process.env;
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/cluster.ts"], { env, encoding: "utf8", timeout: 30_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`${NO_DATABASE}\n`);
    expect(run.stdout).toBe("");
  });
});
