import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { getPool, getPrisma } from "@/lib/db/client";
import { createCounterStore } from "@/lib/gateway/counter-store";
import { createGrant, revokeGrant } from "@/lib/grants/grants";
import { ApiError } from "@/lib/http/api-error";
import { getPolicy, getPolicyVersion, listPolicyVersions } from "@/lib/policy-versions/get-policy";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import { compilePolicy, evaluate, validatePolicy } from "@/lib/policy";
import { simulateCall } from "@/lib/policy-versions/simulate-call";
import { registerServer } from "@/lib/servers/register-server";
import { startTestMcpServer, type TestMcpServer } from "../support/test-mcp-server";

const SEED = `{ "version": "1", "default": "deny",
  "tools": { "invoke_agent_runtime": { "limits": [
    { "counter": "invoke_agent_runtime_rate", "window": "minute", "max": 10, "scope": "grant" } ] } } }`;

let caller: Caller;
let upstream: TestMcpServer;
let serverId: string;

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  const account = await signUp({ email: `policies-${randomUUID()}@example.com`, password: "a long test password" });
  caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
  upstream = await startTestMcpServer();
  serverId = (await registerServer(caller, { name: "files", url: upstream.url, transport: "auto" })).id;
});

afterAll(async () => {
  await upstream?.close();
});

describe("policy versions", () => {
  it("accepts the seed policy verbatim as version 1, and warns about the tool this server lacks", async () => {
    expect(await getPolicy(caller, serverId)).toEqual({ active: null, warnings: [] });
    const result = await savePolicyVersion(caller, serverId, { text: SEED, message: "Start from the catalog's recommendation", basedOn: 0 });
    expect(result.saved).toMatchObject({ version: 1, createdBy: caller.email, text: SEED, document: { default: "deny" } });
    expect(result.warnings).toEqual([expect.objectContaining({ path: "/tools/invoke_agent_runtime", line: 2, message: expect.stringContaining("invoke_agent_runtime") })]);
    const state = await getPolicy(caller, serverId);
    expect(state.active?.version).toBe(1);
  });

  it("refuses an invalid policy with every error at its path and line, and saves nothing", async () => {
    const text = `{
  "version": "1",
  "default": "maybe",
  "tools": {
    "delete_file": { "action": "deny", "reasn": "typo" },
    "get_*": { "limits": [ { "counter": "c", "window": "minutes", "max": 0, "scope": "grant" } ] }
  }
}`;
    const error = await failure(savePolicyVersion(caller, serverId, { text, message: "broken" }));
    expect(error).toMatchObject({ status: 422, code: "invalid_policy" });
    const paths = error.errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "body.text/default",
        "body.text/tools/delete_file/reasn",
        "body.text/tools/get_*/limits/0/window",
        "body.text/tools/get_*/limits/0/max",
      ]),
    );
    expect(error.errors.find((e) => e.path === "body.text/default")).toMatchObject({ line: 3 });
    expect(error.errors.find((e) => e.path === "body.text/tools/delete_file/reasn")).toMatchObject({ line: 5 });
    expect((await listPolicyVersions(caller, serverId)).map((v) => v.version)).toEqual([1]);
  });

  it("refuses JSON that does not parse, saying where", async () => {
    const error = await failure(savePolicyVersion(caller, serverId, { text: '{ "version": "1",\n  "default": "deny" ', message: "x" }));
    expect(error).toMatchObject({ code: "invalid_policy", errors: [expect.objectContaining({ line: 2 })] });
  });

  it("refuses a policy whose examples fail, showing the failing example", async () => {
    const text = JSON.stringify({
      version: "1",
      default: "deny",
      tools: { list_files: {}, delete_file: { action: "require_approval" } },
      tests: [
        { tool: "list_files", expect: "allow" },
        { name: "deleting needs a person", tool: "delete_file", expect: "deny" },
      ],
    }, null, 2);
    const error = await failure(savePolicyVersion(caller, serverId, { text, message: "tests" }));
    expect(error).toMatchObject({ status: 422, code: "policy_tests_failed" });
    expect(error.errors).toEqual([expect.objectContaining({ path: "body.text/tests/1", message: expect.stringContaining("deleting needs a person") })]);
    expect((await listPolicyVersions(caller, serverId)).map((v) => v.version)).toEqual([1]);
  });

  it("refuses to overwrite a version saved since the edit began", async () => {
    const error = await failure(savePolicyVersion(caller, serverId, { text: SEED, message: "stale", basedOn: 0 }));
    expect(error).toMatchObject({ status: 409, code: "policy_changed" });
  });

  it("numbers concurrent saves without gaps or collisions", async () => {
    const before = (await listPolicyVersions(caller, serverId))[0]!.version;
    const text = JSON.stringify({ version: "1", default: "deny", tools: { list_files: {} } });
    const saves = await Promise.all(Array.from({ length: 5 }, (_, i) => savePolicyVersion(caller, serverId, { text, message: `save ${i}` })));
    expect(saves.map((s) => s.saved.version).sort()).toEqual([1, 2, 3, 4, 5].map((n) => before + n));
  });

  it("rolls back by saving an old version as a new one", async () => {
    const first = await getPolicyVersion(caller, serverId, 1);
    const latest = (await listPolicyVersions(caller, serverId))[0]!.version;
    const rolledBack = await savePolicyVersion(caller, serverId, { text: first.text, message: "Roll back to version 1", basedOn: latest });
    expect(rolledBack.saved).toMatchObject({ version: latest + 1, document: first.document, text: first.text });
    expect((await getPolicy(caller, serverId)).active?.version).toBe(latest + 1);
    // Versions are immutable: version 1 is still there as it was.
    expect(await getPolicyVersion(caller, serverId, 1)).toEqual(first);
  });
});

describe("simulator", () => {
  const policy = JSON.stringify({
    version: "1",
    default: "deny",
    tools: {
      "get_*": { limits: [{ counter: "reads", window: "minute", max: 100, scope: "grant" }] },
      send_email: { args: { to: { type: "string", pattern: "@example\\.com$" } } },
      delete_file: { action: "deny", reason: "Files are never deleted by agents." },
    },
  });

  it.each([
    ["get_record_5", {}, "allow", "get_*", "Allowed by the policy rule for tools matching `get_*`."],
    ["delete_file", { path: "/etc" }, "deny", "delete_file", "Denied by the policy rule for `delete_file`: Files are never deleted by agents. Do not retry this call."],
    [
      "send_email",
      { to: "ceo@elsewhere.org" },
      "deny",
      "send_email",
      'Refused by the policy rule for `send_email`: `to` must match the regular expression `@example\\.com$`; got "ceo@elsewhere.org". Change the arguments to meet the rule and call again.',
    ],
    ["send_email", { to: "team@example.com" }, "allow", "send_email", "Allowed by the policy rule for `send_email`."],
    ["run_command", { command: "ls" }, "deny", null, "Denied: no policy rule covers this tool, and the policy denies tools without a rule. Do not retry this call."],
  ])("%s %j -> %s", async (tool, args, decision, matchedRule, reason) => {
    const result = await simulateCall(caller, serverId, { tool, args, text: policy });
    expect(result).toMatchObject({ decision, matchedRule, policyVersion: null });
    // The reason the agent would be given, word for word.
    expect(result.reason).toBe(reason);
  });

  it("shows the counters a call would use, and the argument at fault", async () => {
    const read = await simulateCall(caller, serverId, { tool: "get_record_1", args: {}, text: policy });
    expect(read.counters).toEqual([expect.objectContaining({ counter: "reads", max: 100, used: 0, window: "minute", scope: "grant" })]);
    const email = await simulateCall(caller, serverId, { tool: "send_email", args: { to: "x@evil.test" }, text: policy });
    expect(email.violations).toEqual([expect.objectContaining({ arg: "to", keyword: "pattern" })]);
  });

  it("reports no usage note when no limit applies", async () => {
    const result = await simulateCall(caller, serverId, { tool: "delete_file", args: {}, text: policy });
    expect(result).toMatchObject({ counters: [], usageNote: null });
  });

  it("simulates the active version when no text is given", async () => {
    const active = (await getPolicy(caller, serverId)).active!;
    const result = await simulateCall(caller, serverId, { tool: "invoke_agent_runtime", args: {} });
    expect(result).toMatchObject({ policyVersion: active.version, decision: "allow", matchedRule: "invoke_agent_runtime" });
  });

  describe("with a grant and real counters", () => {
    // Daily windows, so no window ends while the test runs (and housekeeping elsewhere deletes none of its rows).
    const document = {
      version: "1" as const,
      default: "deny" as const,
      tools: {
        send_report: {
          limits: [
            { counter: "reports", window: "day" as const, max: 3, scope: "grant" as const },
            { counter: "all_reports", window: "day" as const, max: 1000, scope: "server" as const },
          ],
        },
      },
    };
    const text = JSON.stringify(document);
    const store = () => createCounterStore(getPool());

    /** The checks the gateway would count for a send_report call by `grantId` at `now`, from the policy core. */
    function checksFor(grantId: string, now: Date) {
      const validated = validatePolicy(document);
      if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
      return evaluate(compilePolicy(validated.document), { tool: "send_report", args: {} }, { now: now.getTime(), grantId, serverId, usage: () => 0 }).counters;
    }

    async function consume(grantId: string, now: Date, times: number) {
      for (let i = 0; i < times; i++) expect(await store().tryConsume(caller.workspaceId, checksFor(grantId, now))).toEqual({ ok: true });
    }

    async function usageOf(keys: string[]) {
      const usage = await store().usage(caller.workspaceId, keys);
      return keys.map((key) => usage.get(key)!);
    }

    /** The checks (or reported counters) by counter name: the policy core orders them its own way. */
    function byName<T extends { counter: string }>(counters: readonly T[]) {
      return Object.fromEntries(counters.map((c) => [c.counter, c])) as Record<"reports" | "all_reports", T>;
    }

    it("refuses a grant of another workspace, one that does not reach the server, and a revoked one", async () => {
      const other = await signUp({ email: `other-grant-${randomUUID()}@example.com`, password: "a long test password" });
      const stranger: Caller = { userId: other.user.id, email: other.user.email, workspaceId: other.workspace.id, via: "session" };
      const strangerServer = (await registerServer(stranger, { name: "theirs", url: upstream.url, transport: "auto" })).id;
      const theirs = (await createGrant(stranger, { name: "theirs", serverIds: [strangerServer] })).grant;
      const elsewhere = (await registerServer(caller, { name: "elsewhere", url: upstream.url, transport: "auto" })).id;
      const notHere = (await createGrant(caller, { name: "elsewhere only", serverIds: [elsewhere] })).grant;
      const revoked = (await createGrant(caller, { name: "revoked", serverIds: [serverId] })).grant;
      await revokeGrant(caller, revoked.id);

      for (const [grant, message] of [
        [theirs.id, /no grant with that id/],
        [randomUUID(), /no grant with that id/],
        [notHere.id, /does not reach this server/],
        [revoked.id, /revoked/],
      ] as const) {
        const error = await failure(simulateCall(caller, serverId, { tool: "send_report", args: {}, text, grant }));
        expect(error).toMatchObject({ status: 422, errors: [{ path: "body.grant", message: expect.stringMatching(message) }] });
      }
    });

    it("reports the grant's calls in the current window, rate limits at the max, and counts nothing", async () => {
      const now = new Date();
      const { grant } = await createGrant(caller, { name: "reporter", serverIds: [serverId] });
      const checks = byName(checksFor(grant.id, now));
      const keys = [checks.reports.key, checks.all_reports.key];
      await consume(grant.id, now, 2);

      const [, serverUsed] = await usageOf(keys);
      const result = await simulateCall(caller, serverId, { tool: "send_report", args: {}, text, grant: grant.id }, now);
      expect(result.decision).toBe("allow");
      const counters = byName(result.counters);
      expect(counters.reports).toMatchObject({ scope: "grant", used: 2, max: 3, windowEnd: new Date(checks.reports.windowEnd).toISOString() });
      expect(counters.all_reports).toMatchObject({ scope: "server", used: serverUsed, max: 1000 });
      expect(result.usageNote).toMatch(/calls already counted in the current window/);

      await consume(grant.id, now, 1);
      const limited = await simulateCall(caller, serverId, { tool: "send_report", args: {}, text, grant: grant.id }, now);
      expect(limited).toMatchObject({ decision: "rate_limited", code: "rate_limited" });
      expect(byName(limited.counters).reports).toMatchObject({ used: 3, max: 3 });
      expect(limited.reason).toMatch(/counter `reports` allows 3 calls per day/);

      // Simulating (allowed or limited) counted nothing: only the three consumed calls are there.
      expect(await usageOf(keys)).toEqual([3, serverUsed! + 1]);
    });

    it("without a grant, uses a hypothetical grant with no calls but the server's real usage", async () => {
      const now = new Date();
      const { grant } = await createGrant(caller, { name: "busy", serverIds: [serverId] });
      await consume(grant.id, now, 3);
      const serverKey = byName(checksFor(grant.id, now)).all_reports.key;
      const [serverUsed] = await usageOf([serverKey]);
      expect(serverUsed).toBeGreaterThanOrEqual(3);

      const result = await simulateCall(caller, serverId, { tool: "send_report", args: {}, text }, now);
      expect(result.decision).toBe("allow");
      const counters = byName(result.counters);
      expect(counters.reports).toMatchObject({ scope: "grant", used: 0 });
      expect(counters.all_reports).toMatchObject({ scope: "server", used: serverUsed });
      expect(result.usageNote).toMatch(/hypothetical grant with no calls yet/);
      expect(result.usageNote).toMatch(/Counters per server show the calls already counted/);
      expect(await usageOf([serverKey])).toEqual([serverUsed]);
    });
  });

  it("keeps policies per workspace", async () => {
    const other = await signUp({ email: `other-${randomUUID()}@example.com`, password: "a long test password" });
    const stranger: Caller = { userId: other.user.id, email: other.user.email, workspaceId: other.workspace.id, via: "session" };
    await expect(getPolicy(stranger, serverId)).rejects.toMatchObject({ status: 404 });
    const count = await getPrisma().policyVersion.count({ where: { serverId } });
    await expect(savePolicyVersion(stranger, serverId, { text: SEED, message: "x" })).rejects.toMatchObject({ status: 404 });
    expect(await getPrisma().policyVersion.count({ where: { serverId } })).toBe(count);
  });
});
