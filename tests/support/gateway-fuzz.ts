import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import fc from "fast-check";
import { Agent, request } from "undici";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { createGatewayHandler } from "@/lib/gateway/handler";
import { gatewayListener } from "./gateway-mount";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import { createGrant } from "@/lib/grants/grants";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import { registerServer } from "@/lib/servers/register-server";
import { startTestMcpServer, type TestMcpServer } from "./test-mcp-server";

// A hostile tenant fuzzing the gateway while another tenant works: the hostile one sends generated bodies (valid and
// broken JSON-RPC, look-alike methods, text PostgreSQL cannot store, deep nesting, batches, arguments that make a
// backtracking pattern engine explode) with its own valid key; the other makes ordinary calls throughout. Used by
// tests/integration/gateway-fuzz.test.ts and by `npm run fuzz:gateway` (more bodies, figures printed).

export interface FuzzReport {
  bodies: number;
  /** Status -> count, for the hostile tenant's requests. */
  statuses: Record<number, number>;
  /** Hostile requests answered 5xx, with their bodies (first 20). */
  serverErrors: { status: number; body: string }[];
  legitimateCalls: number;
  /** Legitimate calls that did not get the upstream's answer. */
  legitimateFailures: { status: number; text: string }[];
  /** The event loop's longest delay while the run lasted (ms), and its 99th percentile. */
  maxLoopDelayMs: number;
  p99LoopDelayMs: number;
  seconds: number;
}

export const HOSTILE_POLICY = {
  version: "1",
  default: "deny",
  tools: {
    list_files: {},
    "get_*": { limits: [{ counter: "reads", window: "minute", max: 100000, scope: "grant" }] },
    send_email: { args: { to: { pattern: "^(a+)+$" }, subject: { pattern: "(x+x+)+y" } } },
    create_refund: { limits: [{ counter: "refunds", window: "minute", max: 5, scope: "grant" }] },
    run_command: { action: "require_approval", approval_timeout_seconds: 1 },
    delete_file: { action: "deny" },
  },
};

const LEGITIMATE_POLICY = { version: "1", default: "deny", tools: { list_files: {} } };

/** Strings a hostile client would try: control characters, broken surrogates, invisible characters, long runs. */
const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom(
    "\u0000",
    "x\u0000",
    "\ud800",
    "a\udfff",
    "\ud83d",
    "\u200b",
    "\ufeff",
    "tools/call\u200b",
    "Tools/call",
    "tools/call ",
    "__proto__",
    "constructor",
    "a".repeat(64) + "!",
    "a".repeat(10_000) + "!",
    "x".repeat(5_000),
    "💥".repeat(100),
  ),
);
const toolName = fc.oneof(
  fc.constantFrom("list_files", "get_record_1", "send_email", "create_refund", "run_command", "delete_file", "nope", "get_*", "*"),
  nastyString,
);
const method = fc.oneof(
  fc.constantFrom("tools/call", "tools/list", "initialize", "ping", "notifications/initialized", "notifications/cancelled", "resources/read", "prompts/get"),
  nastyString,
);
const id = fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.double(), fc.constant(2 ** 60), nastyString);
const args = fc.oneof(
  fc.dictionary(nastyString, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
  fc.record({ to: nastyString, subject: nastyString }),
  fc.jsonValue({ maxDepth: 2 }),
);
const toolCall = fc.record({
  jsonrpc: fc.oneof(fc.constant("2.0"), fc.jsonValue({ maxDepth: 1 })),
  id,
  method: fc.oneof(fc.constant("tools/call"), method),
  params: fc.oneof(fc.record({ name: toolName, arguments: args }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 2 })),
});
const anyMessage = fc.oneof(
  { weight: 5, arbitrary: toolCall },
  { weight: 2, arbitrary: fc.record({ jsonrpc: fc.constant("2.0"), id, method, params: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: ["jsonrpc", "method"] }) },
  { weight: 1, arbitrary: fc.record({ jsonrpc: fc.constant("2.0"), id, result: fc.jsonValue({ maxDepth: 2 }) }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);
function deep(depth: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = { a: value };
  return { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "list_files", arguments: value } };
}
export const fuzzBody = fc.oneof(
  { weight: 8, arbitrary: anyMessage.map((m) => JSON.stringify(m)) },
  { weight: 2, arbitrary: fc.array(anyMessage, { minLength: 0, maxLength: 6 }).map((m) => JSON.stringify(m)) },
  { weight: 1, arbitrary: fc.string({ unit: "binary" }) },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 1_000 }).map((d) => JSON.stringify(deep(d))) },
  // JSON text whose escapes name code points PostgreSQL refuses.
  { weight: 1, arbitrary: fc.constantFrom('"\\u0000"', '"\\ud800"', "\\u0000").map((e) => `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":${e.startsWith('"') ? `"x${e.slice(1)}` : '"x"'},"arguments":{}}}`) },
);

interface Tenant {
  caller: Caller;
  serverId: string;
  key: string;
}

async function tenant(label: string, upstream: TestMcpServer, policy: unknown): Promise<Tenant> {
  const account = await signUp({ email: `${label}-${randomUUID()}@example.com`, password: "a long test password" });
  const caller: Caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
  const server = await registerServer(caller, { name: `${label} server`, url: upstream.url, transport: "streamable_http" });
  await savePolicyVersion(caller, server.id, { text: JSON.stringify(policy), message: "fuzz" });
  const grant = await createGrant(caller, { name: `${label} agent`, serverIds: [server.id] });
  return { caller, serverId: server.id, key: grant.key };
}

export async function runGatewayFuzz(options: { bodies: number; seed?: number; concurrency?: number }): Promise<FuzzReport> {
  const upstream = await startTestMcpServer();
  const deps = createDatabaseGatewayDeps();
  const gateway: Server = createServer(gatewayListener(createGatewayHandler(deps)));
  const agent = new Agent({ connections: 64 });
  try {
    await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
    const [hostile, legitimate] = await Promise.all([tenant("fuzz-hostile", upstream, HOSTILE_POLICY), tenant("fuzz-legitimate", upstream, LEGITIMATE_POLICY)]);
    const bodies = fc.sample(fuzzBody, { numRuns: options.bodies, seed: options.seed ?? 20261207 });

    const post = async (t: Tenant, text: string) => {
      const response = await request(`${origin}/gateway/${t.serverId}/mcp`, {
        method: "POST",
        dispatcher: agent,
        headers: { authorization: `Bearer ${t.key}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: text,
      });
      return { status: response.statusCode, text: await response.body.text() };
    };

    const report: FuzzReport = { bodies: bodies.length, statuses: {}, serverErrors: [], legitimateCalls: 0, legitimateFailures: [], maxLoopDelayMs: 0, p99LoopDelayMs: 0, seconds: 0 };
    const delay = monitorEventLoopDelay({ resolution: 5 });
    const started = performance.now();
    delay.enable();
    let done = false;
    const legitimateLoop = (async () => {
      while (!done) {
        const n = report.legitimateCalls++;
        const { status, text } = await post(legitimate, JSON.stringify({ jsonrpc: "2.0", id: n, method: "tools/call", params: { name: "list_files", arguments: { path: `/tmp/${n}` } } }));
        if (status !== 200 || !text.includes("called list_files")) report.legitimateFailures.push({ status, text: text.slice(0, 300) });
      }
    })();
    let next = 0;
    const worker = async () => {
      while (next < bodies.length) {
        const text = bodies[next++]!;
        const { status, text: answer } = await post(hostile, text);
        report.statuses[status] = (report.statuses[status] ?? 0) + 1;
        if (status >= 500 && report.serverErrors.length < 20) report.serverErrors.push({ status, body: `${text.slice(0, 200)} -> ${answer.slice(0, 200)}` });
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
    done = true;
    await legitimateLoop;
    delay.disable();
    report.seconds = (performance.now() - started) / 1000;
    report.maxLoopDelayMs = delay.max / 1e6;
    report.p99LoopDelayMs = delay.percentile(99) / 1e6;
    return report;
  } finally {
    await agent.close();
    gateway.closeAllConnections();
    await new Promise((resolve) => gateway.close(resolve));
    await deps.admit.flush();
    await deps.approvals?.waiter.close();
    await upstream.close();
  }
}
