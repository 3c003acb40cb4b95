import { randomBytes, randomUUID } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { createGatewayHandler } from "@/lib/gateway/handler";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import { createGrant } from "@/lib/grants/grants";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import { registerServer } from "@/lib/servers/register-server";
import { GATEWAY_ATTRIBUTES as A, GATEWAY_SPANS } from "@/lib/tracing/gateway-tracing";
import { otlpTracesUrl, startTracing, type ProcessTracing } from "@/lib/tracing/start-tracing";
import { appRouteListener, gatewayListener } from "../support/gateway-mount";
import { startTestMcpServer, type TestMcpServer } from "../support/test-mcp-server";

// OpenTelemetry traces of gateway calls: a client sends a W3C traceparent, the gateway (on node:http, real stores on
// a real PostgreSQL, a real MCP upstream behind a recording hop) continues the trace, and the spans are posted by the
// real OTLP/HTTP exporter to a receiver on loopback, where they are read as a collector would read them. The App Router
// route (`next start`'s mount) is traced too, configured by OTEL_EXPORTER_OTLP_ENDPOINT alone.

/** A span as OTLP/HTTP JSON carries it. */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: Record<string, unknown> }[];
  status?: { code?: number };
}
// OTLP's enums: SPAN_KIND_INTERNAL 1, SERVER 2, CLIENT 3; STATUS_CODE_ERROR 2.
const KIND = { internal: 1, server: 2, client: 3 };
const STATUS_ERROR = 2;

let caller: Caller;
let upstream: TestMcpServer;
let serverId: string;
let key: string;
let grantId: string;
let tracing: ProcessTracing;
let traced: string;
let untraced: string;
/** The App Router route's own handler, which starts its tracing from the environment. */
let routed: string;
/** The origin the gateway calls the upstream on. */
let hopOrigin: string;
const servers: Server[] = [];
const clients: Client[] = [];
/** Every body the receiver was sent, as sent. */
const payloads: string[] = [];
const resources: Record<string, unknown>[] = [];
const spans: OtlpSpan[] = [];
/** The traceparent of each request that reached the upstream (empty when it had none). */
const upstreamTraceparents: string[] = [];

const UPSTREAM_TOKEN = `upstream-token-${randomUUID()}`;
const URL_SECRET = `url-secret-${randomUUID()}`;
/** Argument values sent in the tests below (short enough for a refusal to quote whole). */
const SECRET_PATH = `/secret-path-${randomUUID()}`;
const RECIPIENT = `secret-${randomBytes(6).toString("hex")}@evil.test`;

const POLICY = {
  version: "1",
  default: "deny",
  tools: {
    list_files: {},
    send_email: { args: { to: { pattern: "@example\\.com$" } } },
    create_refund: { limits: [{ counter: "refunds", window: "hour", max: 1, scope: "grant" }] },
    delete_file: { action: "deny" },
  },
};

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", reject);
  });
}

/** An OTLP/HTTP receiver: POST /v1/traces with a JSON body, answered as a collector answers. */
function otlpReceiver(): Server {
  return createServer((req, res) => {
    void readBody(req).then((body) => {
      if (req.method !== "POST" || req.url !== "/v1/traces" || !String(req.headers["content-type"]).includes("application/json")) {
        res.writeHead(404).end();
        return;
      }
      payloads.push(body);
      const message = JSON.parse(body) as { resourceSpans: { resource: Record<string, unknown>; scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const rs of message.resourceSpans) {
        resources.push(rs.resource);
        for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
}

/** A hop in front of the upstream that notes the traceparent of every request, then passes it on as it came. */
function recordingHop(target: string): Server {
  return createServer((req, res) => {
    upstreamTraceparents.push(String(req.headers.traceparent ?? ""));
    const forward = httpRequest(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.once("error", () => res.destroy());
    req.pipe(forward);
  });
}

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
/** A client's own trace context: a new trace id and the client span's id. */
function clientContext() {
  const traceId = hex(16);
  const spanId = hex(8);
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

/** A raw tools/call through the gateway, as a client sends it, with its traceparent. */
async function callTool(origin: string, name: string, args: Record<string, unknown>, traceparent: string, withKey = key) {
  const response = await fetch(`${origin}/gateway/${serverId}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${withKey}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2025-06-18",
      traceparent,
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } }),
  });
  const text = await response.text();
  // The upstream answers as an event stream, the gateway's own answers are JSON.
  const json = (response.headers.get("content-type") ?? "").includes("text/event-stream") ? /^data: (.*)$/m.exec(text)?.[1] : text;
  return { status: response.status, message: json ? (JSON.parse(json) as { result?: { isError?: boolean; content?: { text: string }[] }; error?: unknown }) : null };
}

function attributes(span: OtlpSpan | Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key: name, value } of (span as OtlpSpan).attributes ?? []) {
    const v = value.stringValue ?? value.boolValue ?? value.intValue ?? value.doubleValue;
    out[name] = typeof v === "string" && "intValue" in value ? Number(v) : v;
  }
  return out;
}

/** The spans of one trace, once the exporter has sent them. */
async function traceOf(traceId: string, count: number): Promise<OtlpSpan[]> {
  await tracing.flush();
  await expect.poll(() => spans.filter((s) => s.traceId === traceId).length, { timeout: 5_000 }).toBe(count);
  return spans.filter((s) => s.traceId === traceId);
}

const named = (trace: OtlpSpan[], name: string) => trace.find((s) => s.name === name);
const serverSpanOf = (trace: OtlpSpan[]) => trace.find((s) => s.kind === KIND.server)!;

beforeAll(async () => {
  const account = await signUp({ email: `tracing-${randomUUID()}@example.com`, password: "a long test password" });
  caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
  upstream = await startTestMcpServer({ token: UPSTREAM_TOKEN });
  hopOrigin = await listen(recordingHop(upstream.origin));
  const registered = await registerServer(caller, {
    name: "traced",
    url: `${hopOrigin}/private?tenant=${URL_SECRET}`,
    transport: "streamable_http",
    credentials: { type: "bearer", token: UPSTREAM_TOKEN },
  });
  serverId = registered.id;
  await savePolicyVersion(caller, serverId, { text: JSON.stringify(POLICY), message: "tracing test" });
  const created = await createGrant(caller, { name: "traced client", serverIds: [serverId] });
  key = created.key;
  grantId = created.grant.id;

  const receiver = await listen(otlpReceiver());
  const started = await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver }, { version: "0.0.0-test" });
  if (!started) throw new Error("tracing did not start with an endpoint configured");
  tracing = started;
  traced = await listen(createServer(gatewayListener(createGatewayHandler(createDatabaseGatewayDeps({ tracing: tracing.gateway })))));
  untraced = await listen(createServer(gatewayListener(createGatewayHandler(createDatabaseGatewayDeps()))));

  // The route reads its settings once, as a process does at start: its modules are loaded afresh with the endpoint set
  // (and a short batch delay, as the test cannot flush the route's own exporter).
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver;
  process.env.OTEL_BSP_SCHEDULE_DELAY = "50";
  vi.resetModules();
  const route = await import("@/lib/gateway/next-route");
  routed = await listen(createServer(appRouteListener(route.serveGatewayRoute)));
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await tracing?.shutdown();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await upstream?.close();
});

/** An allowed call through the gateway at `origin` continues the client's trace with the four spans of a call. */
async function expectAllowedCallTraced(origin: string) {
  const client = clientContext();
  const before = upstreamTraceparents.length;
  const { status, message } = await callTool(origin, "list_files", { path: SECRET_PATH }, client.traceparent);
  expect(status).toBe(200);
  expect(message?.result?.content?.[0]?.text).toBe("called list_files");

  const trace = await traceOf(client.traceId, 4);
  const server = serverSpanOf(trace);
  expect(server.name).toBe("POST /gateway/{server}/mcp");
  expect(server.parentSpanId).toBe(client.spanId);
  expect(attributes(server)).toMatchObject({
    [A.mcpMethod]: "tools/call",
    [A.tool]: "list_files",
    [A.serverId]: serverId,
    [A.grantId]: grantId,
    [A.decision]: "allow",
    [A.rule]: "list_files",
    "http.request.method": "POST",
    "http.response.status_code": 200,
  });
  expect(attributes(server)[A.requestId]).toMatch(/^[0-9a-f-]{36}$/);

  const decide = named(trace, GATEWAY_SPANS.decide)!;
  const admit = named(trace, GATEWAY_SPANS.admit)!;
  const hop = named(trace, GATEWAY_SPANS.upstream)!;
  for (const child of [decide, admit, hop]) expect(child.parentSpanId).toBe(server.spanId);
  expect(decide.kind).toBe(KIND.internal);
  expect(attributes(decide)).toMatchObject({ [A.decision]: "allow", [A.rule]: "list_files", [A.tool]: "list_files" });
  expect(admit.kind).toBe(KIND.client);
  expect(attributes(admit)).toMatchObject({ "db.system.name": "postgresql", [A.confirmed]: true, [A.rateLimited]: 0 });
  expect(hop.kind).toBe(KIND.client);
  expect(attributes(hop)).toMatchObject({ "http.request.method": "POST", "http.response.status_code": 200 });

  // The upstream was sent the hop's own context, in the client's trace.
  expect(upstreamTraceparents.slice(before)).toEqual([`00-${client.traceId}-${hop.spanId}-01`]);
  expect(resources.some((r) => attributes(r)["service.name"] === "portcullis")).toBe(true);
}

describe("gateway tracing", () => {
  it("continues the client's trace through an allowed call: the request, the decision, the admit statement and the upstream hop", async () => {
    await expectAllowedCallTraced(traced);
  });

  it("traces the App Router route the same way, started by OTEL_EXPORTER_OTLP_ENDPOINT alone", async () => {
    await expectAllowedCallTraced(routed);

    // A refused call: its decision in the spans, nothing upstream, and the argument that broke the rule nowhere.
    const violation = clientContext();
    const before = upstreamTraceparents.length;
    const sent = payloads.length;
    const refused = await callTool(routed, "send_email", { to: RECIPIENT, subject: "hello" }, violation.traceparent);
    expect(refused.message?.result?.isError).toBe(true);
    const violationTrace = await traceOf(violation.traceId, 3);
    expect(named(violationTrace, GATEWAY_SPANS.upstream)).toBeUndefined();
    expect(serverSpanOf(violationTrace).parentSpanId).toBe(violation.spanId);
    expect(attributes(serverSpanOf(violationTrace))).toMatchObject({ [A.tool]: "send_email", [A.decision]: "deny", [A.code]: "argument_violation", [A.grantId]: grantId });
    expect(upstreamTraceparents.slice(before)).toEqual([]);
    expect(payloads.slice(sent).join("\n")).not.toContain(RECIPIENT);
  });

  it("gives a refused call its span with the decision: a rule's arguments, a hidden tool, a rate limit, a key", async () => {
    const violation = clientContext();
    const before = upstreamTraceparents.length;
    const refused = await callTool(traced, "send_email", { to: RECIPIENT, subject: "hello" }, violation.traceparent);
    expect(refused.status).toBe(200);
    expect(refused.message?.result?.isError).toBe(true);
    // The agent is told which value broke the rule; the spans must never carry it.
    expect(JSON.stringify(refused.message)).toContain(RECIPIENT);

    const violationTrace = await traceOf(violation.traceId, 3); // request, decide, admit: nothing went upstream
    expect(named(violationTrace, GATEWAY_SPANS.upstream)).toBeUndefined();
    const server = serverSpanOf(violationTrace);
    expect(server.parentSpanId).toBe(violation.spanId);
    expect(attributes(server)).toMatchObject({ [A.tool]: "send_email", [A.decision]: "deny", [A.code]: "argument_violation", [A.rule]: "send_email", [A.serverId]: serverId, [A.grantId]: grantId });
    expect(attributes(named(violationTrace, GATEWAY_SPANS.decide)!)).toMatchObject({ [A.decision]: "deny", [A.code]: "argument_violation", [A.rule]: "send_email" });

    const hidden = clientContext();
    const unknown = await callTool(traced, "delete_file", { path: "/" }, hidden.traceparent);
    expect(unknown.message?.error).toBeDefined();
    expect(attributes(serverSpanOf(await traceOf(hidden.traceId, 3)))).toMatchObject({ [A.tool]: "delete_file", [A.decision]: "deny", [A.code]: "denied_by_rule", [A.rule]: "delete_file" });

    const first = await callTool(traced, "create_refund", { charge_id: "ch_1", amount: 1 }, clientContext().traceparent);
    expect(first.message?.result?.isError).toBeFalsy();
    const limited = clientContext();
    const second = await callTool(traced, "create_refund", { charge_id: "ch_2", amount: 1 }, limited.traceparent);
    expect(second.message?.result?.isError).toBe(true);
    const limitedTrace = await traceOf(limited.traceId, 3);
    expect(attributes(serverSpanOf(limitedTrace))).toMatchObject({ [A.tool]: "create_refund", [A.decision]: "rate_limited", [A.code]: "rate_limited" });
    expect(attributes(named(limitedTrace, GATEWAY_SPANS.admit)!)).toMatchObject({ [A.confirmed]: true, [A.rateLimited]: 1 });

    const wrongKey = clientContext();
    const unauthorized = await callTool(traced, "list_files", {}, wrongKey.traceparent, `pcg_${randomUUID().replaceAll("-", "")}`);
    expect(unauthorized.status).toBe(401);
    const keyTrace = await traceOf(wrongKey.traceId, 1);
    expect(keyTrace[0]!.parentSpanId).toBe(wrongKey.spanId);
    expect(attributes(keyTrace[0]!)).toMatchObject({ [A.decision]: "deny", [A.code]: "key_unknown", [A.serverId]: serverId, "http.response.status_code": 401 });
    expect(attributes(keyTrace[0]!)[A.grantId]).toBeUndefined();
    // A 401 is the client's mistake, not the gateway failing.
    expect(keyTrace[0]!.status?.code ?? 0).not.toBe(STATUS_ERROR);

    // Only the allowed refund reached the upstream.
    const refusedTraces = [violation, hidden, limited, wrongKey].map((c) => c.traceId);
    expect(upstreamTraceparents.slice(before).filter((t) => refusedTraces.some((id) => t.includes(id)))).toEqual([]);
  });

  it("starts a trace of its own when the client sends none, and exports no secret: key, arguments, session, upstream URL or credentials", async () => {
    const client = new Client({ name: "tracing-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${traced}/gateway/${serverId}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } });
    await client.connect(transport);
    clients.push(client);
    const secretArgument = `secret-argument-${randomUUID()}`;
    await client.callTool({ name: "list_files", arguments: { path: secretArgument } });
    const sessionId = transport.sessionId;
    expect(sessionId).toBeTruthy();
    await tracing.flush();
    await expect.poll(() => spans.some((s) => s.kind === KIND.server && !s.parentSpanId && attributes(s)[A.tool] === "list_files"), { timeout: 5_000 }).toBe(true);

    const everything = payloads.join("\n");
    expect(everything).toContain(grantId); // what is exported, and so what is searched below
    for (const secret of [key, secretArgument, sessionId!, UPSTREAM_TOKEN, URL_SECRET, SECRET_PATH, RECIPIENT, hopOrigin]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe("gateway tracing off", () => {
  it("is off without an endpoint: no exporter, no span, no traceparent upstream", async () => {
    expect(otlpTracesUrl({})).toBeUndefined();
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" })).toBe("http://127.0.0.1:4318/v1/traces");
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector/otlp/" })).toBe("http://collector/otlp/v1/traces");
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://a:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://b:4318/traces" })).toBe("http://b:4318/traces");
    expect(await startTracing({ OTEL_SERVICE_NAME: "portcullis" }, { version: "0.0.0-test" })).toBeUndefined();

    await tracing.flush();
    const sent = payloads.length;
    const client = clientContext();
    const before = upstreamTraceparents.length;
    const { status } = await callTool(untraced, "list_files", { path: "/tmp" }, client.traceparent);
    expect(status).toBe(200);
    await tracing.flush();
    expect(payloads.length).toBe(sent);
    expect(spans.some((s) => s.traceId === client.traceId)).toBe(false);
    // The gateway forwards no traceparent of its own, and never the client's.
    expect(upstreamTraceparents.slice(before)).toEqual([""]);
  });
});
