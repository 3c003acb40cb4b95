import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { getPool, getPrisma } from "@/lib/db/client";
import type { GatewayLookup } from "@/lib/gateway/handler";
import { createGatewayHandler } from "@/lib/gateway/handler";
import { createDatabaseLookup } from "@/lib/gateway/lookup";
import { gatewayListener } from "../support/gateway-mount";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import { createGrant } from "@/lib/grants/grants";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import type { CompiledPolicy } from "@/lib/policy/compile";
import { registerServer } from "@/lib/servers/register-server";
import { startTestMcpServer, type TestMcpServer } from "../support/test-mcp-server";

// One tenant's hostile pattern and argument through the real gateway (the SDK client -> the handler on node:http ->
// a real MCP upstream, on a real PostgreSQL) while another tenant uses the same instance. With JavaScript's
// backtracking RegExp, `^(a+)+$` took 0.56 s at 27 characters and doubled with each one: the 10,000-character call
// below would have stalled the instance, and tenant B, for good.

interface Tenant {
  caller: Caller;
  serverId: string;
  key: string;
}

let upstream: TestMcpServer;
let gateway: Server;
let gatewayOrigin: string;
let a: Tenant;
let b: Tenant;
const clients: Client[] = [];

/**
 * Each argument check inside the gateway (the part of a decision where patterns run): the arguments it checked, and
 * the CPU time the process spent meanwhile, which a machine shared with other work cannot inflate by descheduling.
 */
const checks: { serverId: string; tool: string; args: string[]; cpuMs: number }[] = [];

function timedPolicy(serverId: string, policy: CompiledPolicy): CompiledPolicy {
  return {
    ...policy,
    match: (tool) => {
      const rule = policy.match(tool);
      if (!rule) return rule;
      return {
        ...rule,
        checkArgs: (args, budget) => {
          const cpu = process.cpuUsage();
          try {
            return rule.checkArgs(args, budget);
          } finally {
            const used = process.cpuUsage(cpu);
            checks.push({ serverId, tool, args: Object.keys(args as object), cpuMs: (used.user + used.system) / 1000 });
          }
        },
      };
    },
  };
}

const HOSTILE_POLICY = {
  version: "1",
  default: "deny",
  tools: {
    // `cc` is the baseline: a plain pattern any engine decides in one pass, on a value as long, by the same rule.
    send_email: { args: { to: { pattern: "^(a+)+$" }, subject: { pattern: "(a|aa)*b" }, body: { pattern: "(.*a){20}" }, cc: { pattern: "^.*z$" } } },
    list_files: {},
  },
};

/** Each argument alone, 10,000 characters, made to make a backtracking engine try every way to split it. */
const HOSTILE_CALLS = [
  { to: `${"a".repeat(9_999)}!` },
  { subject: "a".repeat(10_000) },
  { body: `${"a".repeat(19)}${"x".repeat(9_981)}` },
];

/** Plain calls of the same length, refused after the pattern read the whole value: what a linear decision costs. */
const PLAIN_CALLS = [{ cc: `${"a".repeat(9_999)}!` }, { cc: "a".repeat(10_000) }, { cc: `${"a".repeat(19)}${"x".repeat(9_981)}` }];

async function tenant(name: string, policy: unknown): Promise<Tenant> {
  const account = await signUp({ email: `${name}-${randomUUID()}@example.com`, password: "a long test password" });
  const caller: Caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
  const serverId = (await registerServer(caller, { name: `${name} files`, url: upstream.url, transport: "streamable_http" })).id;
  await savePolicyVersion(caller, serverId, { text: JSON.stringify(policy), message: name });
  const { key } = await createGrant(caller, { name: `${name} agent`, serverIds: [serverId] });
  return { caller, serverId, key };
}

async function connect(who: Tenant): Promise<Client> {
  const client = new Client({ name: "gateway-patterns-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${gatewayOrigin}/gateway/${who.serverId}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${who.key}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const textOf = (result: unknown) => ((result as { content: { text: string }[] }).content[0]?.text ?? "");
const codeOf = (result: unknown) => (result as { _meta?: Record<string, { code: string }> })._meta?.["portcullis/decision"]?.code;

beforeAll(async () => {
  upstream = await startTestMcpServer();
  [a, b] = await Promise.all([tenant("tenant-a", HOSTILE_POLICY), tenant("tenant-b", { version: "1", default: "deny", tools: { list_files: {} } })]);
  const lookup = createDatabaseLookup(getPool());
  const timedLookup: GatewayLookup = async (...args) => {
    const answer = await lookup(...args);
    return answer.server ? { ...answer, server: { ...answer.server, policy: timedPolicy(answer.server.id, answer.server.policy) } } : answer;
  };
  gateway = createServer(gatewayListener(createGatewayHandler(createDatabaseGatewayDeps({ lookup: timedLookup }))));
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  gatewayOrigin = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  gateway?.closeAllConnections();
  await new Promise((resolve) => gateway?.close(resolve));
  await upstream?.close();
});

describe("a hostile policy pattern through the gateway", () => {
  it("decides tenant A's 10,000-character calls at about a plain pattern's cost while tenant B is answered promptly", async () => {
    const [clientA, clientB] = await Promise.all([connect(a), connect(b)]);
    // The first call of a rule compiles its validator (once per policy version), and the first long value and first
    // refusal run code the JIT has not compiled yet, and each pattern's first pass over a long value builds the
    // engine's states, as on any new instance: these calls do that, so the bound below is on the decisions themselves.
    // A long value that matches goes through.
    expect(textOf(await clientA.callTool({ name: "send_email", arguments: { to: "a".repeat(10_000), subject: "ab", body: "a".repeat(20) } }))).toBe("called send_email");
    expect(codeOf(await clientA.callTool({ name: "send_email", arguments: { to: "b", subject: "c", body: "d" } }))).toBe("argument_violation");
    for (const args of [...HOSTILE_CALLS, ...PLAIN_CALLS]) expect(codeOf(await clientA.callTool({ name: "send_email", arguments: args }))).toBe("argument_violation");
    expect(textOf(await clientB.callTool({ name: "list_files", arguments: {} }))).toBe("called list_files");
    checks.length = 0;

    // Hostile and plain calls in turn, so a busy machine slows both alike.
    const calls = [...HOSTILE_CALLS, ...HOSTILE_CALLS].flatMap((args, k) => [args, PLAIN_CALLS[k % PLAIN_CALLS.length]!]);
    const refusedToA = Promise.all(calls.map((args) => clientA.callTool({ name: "send_email", arguments: args })));
    const answersToB: { text: string; ms: number }[] = [];
    for (let k = 0; k < 10; k++) {
      const started = performance.now();
      const result = await clientB.callTool({ name: "list_files", arguments: { path: `/tmp/${k}` } });
      answersToB.push({ text: textOf(result), ms: performance.now() - started });
    }
    const refusals = await refusedToA;

    expect(refusals.map(codeOf)).toEqual(Array(12).fill("argument_violation"));
    refusals.forEach((result, k) => {
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(
        k % 2 === 0 ? /must match the regular expression `(\^\(a\+\)\+\$|\(a\|aa\)\*b|\(\.\*a\)\{20\})`/ : /`cc` must match the regular expression `\^\.\*z\$`/,
      );
    });
    expect(answersToB.map((answer) => answer.text)).toEqual(Array(10).fill("called list_files"));
    // 5 to 30 ms when the machine is quiet, up to 350 ms seen when it was shared with other test runs: the bound is
    // generous for a loaded machine, and finite, unlike the backtracking engine's.
    expect(Math.max(...answersToB.map((answer) => answer.ms))).toBeLessThan(2_000);

    const decisionsOfA = checks.filter((c) => c.serverId === a.serverId);
    // One check per call (the calls travel concurrently, so in any order).
    expect(decisionsOfA.map((c) => c.args[0]).sort()).toEqual(calls.map((args) => Object.keys(args)[0]).sort());
    // The six hostile decisions against the six plain ones of the same length, measured in the same run: in CPU time,
    // which descheduling cannot inflate (wall time can, by tens of ms on a busy machine), and in sums, which one
    // garbage collection cannot swing. About 1.5x (the same engine's work on other patterns); a backtracking engine
    // would be millions of times. A fixed bound in ms (10 each) saw 3 on a loaded machine.
    const cpuMs = (plain: boolean) => decisionsOfA.filter((c) => (c.args[0] === "cc") === plain).reduce((sum, c) => sum + c.cpuMs, 0);
    const [hostileMs, plainMs] = [cpuMs(false), cpuMs(true)];
    expect(hostileMs / plainMs, `${hostileMs.toFixed(2)} ms of CPU for the hostile decisions, ${plainMs.toFixed(2)} ms for the plain ones`).toBeLessThan(50);
    // Only the warm-up call that met the rule reached the upstream.
    expect(upstream.calls.filter((c) => c.name === "send_email")).toHaveLength(1);
  });

  it("refuses, unchecked, a value longer than a pattern may check", async () => {
    const clientA = await connect(a);
    const result = await clientA.callTool({ name: "send_email", arguments: { to: "a".repeat(70_000) } });
    expect(codeOf(result)).toBe("argument_violation");
    expect(textOf(result)).toContain("`to` is 70,000 characters long, over the 65,536 a value checked against a pattern may have, so it was not checked.");
  });

  it("refuses the calls of a stored rule whose pattern no longer compiles, and keeps the rest of the policy", async () => {
    // Saved before patterns ran on the linear-time engine: written directly, as the old save did.
    const stored = { version: "1", default: "deny", tools: { send_email: { args: { to: { pattern: "^(?!admin@).+@example\\.com$" } } }, list_files: {} } };
    const latest = await getPrisma().policyVersion.findFirstOrThrow({ where: { serverId: a.serverId }, orderBy: { version: "desc" } });
    await getPrisma().policyVersion.create({
      data: { serverId: a.serverId, version: latest.version + 1, document: stored, text: JSON.stringify(stored), message: "old", createdBy: a.caller.email },
    });
    const clientA = await connect(a);
    const refused = await clientA.callTool({ name: "send_email", arguments: { to: "bob@example.com" } });
    expect(refused.isError).toBe(true);
    expect(codeOf(refused)).toBe("policy_error");
    expect(textOf(refused)).toContain("The `pattern` on `to` (`^(?!admin@).+@example\\.com$`) uses negative lookahead");
    expect(textOf(await clientA.callTool({ name: "list_files", arguments: {} }))).toBe("called list_files");
    expect(upstream.calls.filter((c) => c.name === "send_email")).toHaveLength(1);
  });
});
