import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { registerServer } from "@/lib/servers/register-server";
import { createToken } from "@/lib/tokens/create-token";
import * as versionsRoute from "@/app/api/v1/servers/[id]/policy/versions/route";
import * as simulateRoute from "@/app/api/v1/servers/[id]/policy/simulate/route";
import { startTestMcpServer, type TestMcpServer } from "../support/test-mcp-server";

// Policy patterns through the management API (the route handlers, in-process, on the real database): a pattern the
// linear-time engine cannot run is refused at save time at its place; hostile patterns and inputs in examples and
// in the simulator are decided at once instead of stalling the instance.

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

let token: string;
let caller: Caller;
let upstream: TestMcpServer;
let serverId: string;
/** A second server, for the timing baselines' saves: this one's versions stay as the tests below expect them. */
let timingServerId: string;

const params = (id = serverId) => ({ params: Promise.resolve({ id }) });
const post = (path: string, body: unknown, id = serverId) =>
  new Request(`http://localhost/api/v1/servers/${id}/policy/${path}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
  });

async function timed(response: Promise<Response>): Promise<{ response: Response; ms: number }> {
  const started = performance.now();
  const done = await response;
  return { response: done, ms: performance.now() - started };
}

const HOSTILE = `${"a".repeat(10_000)}!`;

/**
 * The least time of three runs of each request, taken in turn: a hostile pattern's against a plain pattern's on the
 * same 10,000 characters, in the same run, so a busy machine (or a slow database) slows both alike. A backtracking
 * engine would take the age of the universe; the linear one costs about what the plain pattern does.
 */
async function leastMs(hostile: () => Promise<Response>, plain: () => Promise<Response>): Promise<{ hostileMs: number; plainMs: number }> {
  const least = { hostileMs: Infinity, plainMs: Infinity };
  for (let round = 0; round < 3; round++) {
    for (const [run, key] of [[plain, "plainMs"], [hostile, "hostileMs"]] as const) {
      const { response, ms } = await timed(run());
      expect(response.ok).toBe(true);
      least[key] = Math.min(least[key], ms);
    }
  }
  return least;
}

beforeAll(async () => {
  const account = await signUp({ email: `patterns-${randomUUID()}@example.com`, password: "a long test password" });
  caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "token" };
  token = (await createToken({ userId: account.user.id, workspaceId: account.workspace.id }, { name: "patterns" })).token;
  upstream = await startTestMcpServer();
  serverId = (await registerServer(caller, { name: "files", url: upstream.url, transport: "auto" })).id;
  timingServerId = (await registerServer(caller, { name: "files for timing", url: upstream.url, transport: "auto" })).id;
});

afterAll(async () => {
  await upstream?.close();
});

describe("saving a policy", () => {
  it("refuses patterns the linear-time engine cannot run, each at its path and line, and saves nothing", async () => {
    const text = `{
  "version": "1",
  "default": "deny",
  "tools": {
    "send_email": { "args": {
      "to": { "pattern": "^(?!admin@).+@example\\\\.com$" },
      "subject": { "pattern": "^(\\\\w+) \\\\1$" } } }
  }
}`;
    const response = await (versionsRoute.POST as Handler)(post("versions", { text, message: "lookahead" }), params());
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await response.json()) as { code: string; errors: { path: string; line: number; message: string }[] };
    expect(problem.code).toBe("invalid_policy");
    expect(problem.errors).toEqual([
      expect.objectContaining({
        path: "body.text/tools/send_email/args/to/pattern",
        line: 6,
        message: expect.stringMatching(/^`pattern` on `to` uses negative lookahead \(`\(\?!`\), which the linear-time regular expression engine \(RE2\) does not support/),
      }),
      expect.objectContaining({
        path: "body.text/tools/send_email/args/subject/pattern",
        line: 7,
        message: expect.stringMatching(/uses a backreference \(`\\1`\)/),
      }),
    ]);
    expect(await getPrisma().policyVersion.count({ where: { serverId } })).toBe(0);
  });

  it("runs examples with a hostile pattern and a 10,000-character argument at once", async () => {
    const withPattern = (pattern: string, short: string) =>
      JSON.stringify({
        version: "1",
        default: "deny",
        tools: { send_email: { args: { to: { pattern } } } },
        tests: [
          { name: "hostile", tool: "send_email", args: { to: HOSTILE }, expect: "deny" },
          { name: "plain", tool: "send_email", args: { to: short }, expect: "allow" },
        ],
      });
    const text = withPattern("^(a+)+$", "aaa");
    const response = await (versionsRoute.POST as Handler)(post("versions", { text, message: "hostile examples" }), params());
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ saved: { version: 1 }, tests: { passed: 2, failed: 0 } });

    // The same save, and one whose pattern any engine decides in one pass, on the timing server. The backtracking
    // engine took 0.56 s at 27 characters, doubling with each one; a fixed bound in ms flakes on a busy machine.
    const save = (body: string) => (versionsRoute.POST as Handler)(post("versions", { text: body, message: "timed" }, timingServerId), params(timingServerId));
    const { hostileMs, plainMs } = await leastMs(() => save(text), () => save(withPattern("^.*z$", "aaz")));
    expect(hostileMs / plainMs, `${hostileMs.toFixed(1)} ms against ${plainMs.toFixed(1)} ms`).toBeLessThan(10);
  });
});

describe("the simulator", () => {
  it("decides a hostile pattern on a 10,000-character argument at once", async () => {
    const withPattern = (to: string) => JSON.stringify({ version: "1", default: "deny", tools: { send_email: { args: { subject: { pattern: "(a|aa)*b" }, to: { pattern: to } } } } });
    const simulate = (text: string) => (simulateRoute.POST as Handler)(post("simulate", { text, tool: "send_email", args: { to: HOSTILE } }), params());
    const response = await simulate(withPattern("^(a+)+$"));
    expect(response.status).toBe(200);
    const result = (await response.json()) as { decision: string; code: string; violations: { path: string; keyword: string }[] };
    expect(result).toMatchObject({ decision: "deny", code: "argument_violation", violations: [{ path: "to", keyword: "pattern" }] });
    // Against the same simulation with a plain pattern, in the same run.
    const { hostileMs, plainMs } = await leastMs(() => simulate(withPattern("^(a+)+$")), () => simulate(withPattern("^.*z$")));
    expect(hostileMs / plainMs, `${hostileMs.toFixed(1)} ms against ${plainMs.toFixed(1)} ms`).toBeLessThan(10);
  });

  it("refuses to simulate a stored version whose pattern no longer compiles, saying where", async () => {
    const stored = { version: "1", default: "deny", tools: { send_email: { args: { to: { pattern: "^(?=.*@)" } } } } };
    // Saved before patterns ran on the linear-time engine: written directly, as the old save did.
    await getPrisma().policyVersion.create({
      data: { serverId, version: 2, document: stored, text: JSON.stringify(stored), message: "old", createdBy: caller.email },
    });
    const response = await (simulateRoute.POST as Handler)(post("simulate", { tool: "send_email", args: { to: "a@example.com" } }), params());
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      code: "invalid_policy",
      errors: [expect.objectContaining({ path: "body.text/tools/send_email/args/to/pattern", message: expect.stringContaining("lookahead") })],
    });
  });
});
