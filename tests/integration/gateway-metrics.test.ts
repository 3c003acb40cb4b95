import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { getPool } from "@/lib/db/client";
import { createGatewayHandler } from "@/lib/gateway/handler";
import { gatewayListener } from "../support/gateway-mount";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import { createGrant } from "@/lib/grants/grants";
import { createGatewayMetrics } from "@/lib/metrics/gateway-metrics";
import { isMetricsPath, metricsListener } from "@/lib/metrics/metrics-endpoint";
import { registerPoolMetrics } from "@/lib/metrics/pool-metrics";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import { registerServer } from "@/lib/servers/register-server";
import { startTestMcpServer, type TestMcpServer } from "../support/test-mcp-server";

// /metrics: a gateway with metrics (the SDK client -> the handler on node:http -> a real MCP upstream, on a real
// PostgreSQL), then its registry scraped; and the endpoint's 404 / 401 / 200 as scripts/server.ts mounts it.

const TOKEN = "metrics-token-metrics-token-0123456789";
let caller: Caller;
let upstream: TestMcpServer;
let registry: Registry;
let gateway: Server;
let gatewayOrigin: string;
let serverId: string;
let key: string;
const clients: Client[] = [];
const servers: Server[] = [];

const POLICY = {
  version: "1",
  default: "deny",
  tools: {
    list_files: {},
    create_refund: { limits: [{ counter: "refunds", window: "hour", max: 1, scope: "grant" }] },
    run_command: { action: "require_approval", approval_timeout_seconds: 1 },
  },
};

async function connect(): Promise<Client> {
  const client = new Client({ name: "metrics-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gatewayOrigin}/gateway/${serverId}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  clients.push(client);
  return client;
}

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A metric's value for exactly these labels (0 when absent). */
async function valueOf(name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const match = metric?.values.find((v) => Object.keys(labels).every((k) => v.labels[k] === labels[k]));
  return match?.value ?? 0;
}

beforeAll(async () => {
  const account = await signUp({ email: `metrics-${randomUUID()}@example.com`, password: "a long test password" });
  caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
  upstream = await startTestMcpServer();
  serverId = (await registerServer(caller, { name: "metrics", url: upstream.url, transport: "streamable_http" })).id;
  await savePolicyVersion(caller, serverId, { text: JSON.stringify(POLICY), message: "metrics test" });
  key = (await createGrant(caller, { name: "metrics client", serverIds: [serverId] })).key;

  registry = new Registry();
  registerPoolMetrics(registry, getPool);
  gateway = createServer(gatewayListener(createGatewayHandler(createDatabaseGatewayDeps({ metrics: createGatewayMetrics(registry) }))));
  gatewayOrigin = await listen(gateway);
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await upstream?.close();
});

describe("gateway metrics", () => {
  it("count decisions by decision, method and server, rate-limit refusals, and time the gateway, upstream and database", async () => {
    const client = await connect();
    const tools = { decision: "allow", method: "tools/call", server: serverId };
    await client.callTool({ name: "list_files", arguments: { path: "/tmp" } });
    await client.callTool({ name: "create_refund", arguments: { charge_id: "ch_1", amount: 1 } });
    const limited = await client.callTool({ name: "create_refund", arguments: { charge_id: "ch_2", amount: 1 } });
    expect(limited.isError).toBe(true);
    await expect(client.callTool({ name: "delete_file", arguments: { path: "/" } })).rejects.toThrow(/Unknown tool/);

    expect(await valueOf("portcullis_gateway_requests_total", tools)).toBe(2);
    expect(await valueOf("portcullis_gateway_requests_total", { decision: "rate_limited", method: "tools/call", server: serverId })).toBe(1);
    expect(await valueOf("portcullis_gateway_requests_total", { decision: "deny", method: "tools/call", server: serverId })).toBe(1);
    expect(await valueOf("portcullis_gateway_requests_total", { decision: "allow", method: "initialize", server: serverId })).toBe(1);
    expect(await valueOf("portcullis_gateway_rate_limited_total", { server: serverId })).toBe(1);

    // A histogram's JSON values carry the series they belong to (`_bucket`, `_sum`, `_count`) in metricName.
    const count = async (name: string) =>
      (await registry.getMetricsAsJSON()).find((m) => m.name === name)?.values.find((v) => (v as { metricName?: string }).metricName === `${name}_count`)?.value ?? 0;
    expect(await count("portcullis_gateway_request_duration_seconds")).toBeGreaterThanOrEqual(6);
    // Forwarded: initialize, initialized, list_files, the first refund (and the client's own tools/list, if any).
    expect(await count("portcullis_gateway_upstream_duration_seconds")).toBeGreaterThanOrEqual(4);
    expect(await count("portcullis_gateway_admit_duration_seconds")).toBeGreaterThanOrEqual(5);
    expect(await valueOf("portcullis_db_pool_connections")).toBeGreaterThan(0);
  });

  it("labels a method outside MCP's list as other, so invented names cannot grow the metrics", async () => {
    const before = await valueOf("portcullis_gateway_requests_total", { decision: "error", method: "other", server: serverId });
    const response = await fetch(`${gatewayOrigin}/gateway/${serverId}/mcp`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: `invented/${randomUUID()}` }),
    });
    await response.text();
    expect(await valueOf("portcullis_gateway_requests_total", { decision: "error", method: "other", server: serverId })).toBe(before + 1);
    const text = await registry.metrics();
    expect(text).not.toContain("invented/");
    expect(text).not.toContain(key);
  });

  it("gauges a call held for approval while it is held", async () => {
    const client = await connect();
    const held = client.callTool({ name: "run_command", arguments: { command: "ls" } });
    await expect.poll(() => valueOf("portcullis_gateway_held_calls"), { timeout: 5_000 }).toBe(1);
    const result = await held; // the rule's 1 s timeout: "pending approval"
    expect(result.isError).toBe(true);
    await expect.poll(() => valueOf("portcullis_gateway_held_calls"), { timeout: 5_000 }).toBe(0);
    // Counted once, for how the hold ended (here the rule's timeout), not again for being held.
    expect(await valueOf("portcullis_gateway_requests_total", { decision: "require_approval", method: "tools/call", server: serverId })).toBe(1);
  });
});

describe("the /metrics endpoint", () => {
  // Mounted as scripts/server.ts mounts it: /metrics ahead of everything else on the app's server.
  const mount = (scrape: ReturnType<typeof metricsListener>) =>
    listen(createServer((req, res) => (isMetricsPath(req.url) ? scrape(req, res) : res.writeHead(418).end())));

  it("answers 404 when no token is configured (off by default)", async () => {
    const origin = await mount(metricsListener(registry, {}));
    const response = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect((await response.json()).detail).toMatch(/PORTCULLIS_METRICS_TOKEN/);
  });

  it("asks for the token (401) and serves Prometheus text with it", async () => {
    const origin = await mount(metricsListener(registry, { token: TOKEN }));
    const none = await fetch(`${origin}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    expect((await fetch(`${origin}/metrics`, { headers: { authorization: TOKEN } })).status).toBe(401);

    const ok = await fetch(`${origin}/metrics?format=text`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/plain");
    const text = await ok.text();
    expect(text).toContain(`portcullis_gateway_requests_total{decision="allow",method="tools/call",server="${serverId}"} 2`);
    expect(text).toContain(`portcullis_gateway_rate_limited_total{server="${serverId}"} 1`);
    expect(text).toMatch(/portcullis_gateway_admit_duration_seconds_bucket\{le="0.005"\} \d+/);
    expect(text).toMatch(/portcullis_db_pool_connections \d+/);
  });

  it("serves without a token on its own loopback port, and only /metrics there", async () => {
    const origin = await listen(createServer(metricsListener(registry, { open: true })));
    expect((await fetch(`${origin}/metrics`)).status).toBe(200);
    expect((await fetch(`${origin}/api/health`)).status).toBe(404);
  });
});
