import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as decisionRoute from "@/app/api/v1/approvals/[id]/decision/route";
import { signUp } from "@/lib/accounts/sign-up";
import { createApprovalWaiter, type ApprovalWaiter } from "@/lib/approvals/approval-waiter";
import { decideApproval, listApprovals, setApprovalWebhook, testApprovalWebhook, type ApprovalView } from "@/lib/approvals/approvals";
import { createApprovalNotifier, sendWebhookTest } from "@/lib/approvals/webhook";
import type { Caller } from "@/lib/auth/caller";
import { getPool } from "@/lib/db/client";
import type { GatewayDeps } from "@/lib/gateway/handler";
import { createGatewayHandler } from "@/lib/gateway/handler";
import { runGatewayHousekeeping } from "@/lib/gateway/housekeeping";
import { gatewayListener } from "../support/gateway-mount";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import { createGrant } from "@/lib/grants/grants";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import { registerServer } from "@/lib/servers/register-server";
import { createToken } from "@/lib/tokens/create-token";
import { startTestMcpServer, type TestMcpServer } from "../support/test-mcp-server";

// Held calls end to end: the official SDK client -> the gateway (node:http, as the standalone tier mounts it) ->
// a real MCP server written with the SDK, on a real PostgreSQL; decisions made through the console's own functions
// (and its API route), reaching the held call through PostgreSQL's LISTEN/NOTIFY.

let caller: Caller;
let upstream: TestMcpServer;
let serverId: string;
let key: string;
let grantId: string;
const servers: Server[] = [];
const clients: Client[] = [];

const POLICY = {
  version: "1",
  default: "deny",
  tools: {
    list_files: {},
    run_command: { action: "require_approval", reason: "Commands change the host.", approval_timeout_seconds: 20 },
    send_email: { action: "require_approval", approval_timeout_seconds: 1 },
  },
};

type Deps = Partial<GatewayDeps>;

async function startGateway(overrides: (deps: GatewayDeps) => Deps = () => ({})): Promise<{ origin: string; deps: GatewayDeps }> {
  const base = createDatabaseGatewayDeps();
  const deps = { ...base, ...overrides(base) };
  deps.approvals = { ...deps.approvals!, progressEveryMs: 200 };
  const server = createServer(gatewayListener(createGatewayHandler(deps)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, deps };
}

let gateway: { origin: string; deps: GatewayDeps };

const quietWaiters: ApprovalWaiter[] = [];
/**
 * Deps whose waiter polls only once an hour: a held call such a gateway forwards within a test's time was woken by
 * the decision's LISTEN/NOTIFY, not by the 2-second fallback poll. Shown by construction, not by a clock, which a
 * busy machine slows.
 */
function notifiedOnly(base: GatewayDeps): Deps {
  const waiter = createApprovalWaiter(base.approvals!.store, {
    connect: async () => {
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      return client;
    },
    pollMs: 3_600_000,
  });
  quietWaiters.push(waiter);
  return { approvals: { ...base.approvals!, waiter } };
}

async function connect(origin = gateway.origin): Promise<Client> {
  const client = new Client({ name: "approvals-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${origin}/gateway/${serverId}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }),
  );
  clients.push(client);
  return client;
}

const textOf = (result: unknown) => ((result as { content: { text: string }[] }).content[0]?.text ?? "");
const metaOf = (result: unknown) =>
  (result as { _meta?: Record<string, { code: string; approvalId?: string }> })._meta?.["portcullis/decision"];

/** Waits until the call with this `command`/`to` argument shows on the Approvals list. */
async function pendingFor(tool: string, args: Record<string, unknown>, timeoutMs = 10_000): Promise<ApprovalView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await listApprovals(caller, "pending")).find((a) => a.tool === tool && JSON.stringify(a.arguments) === JSON.stringify(args));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no pending approval for ${tool} ${JSON.stringify(args)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function statusOf(id: string): Promise<{ status: string; arguments: unknown }> {
  const { rows } = await getPool().query(`SELECT status, arguments FROM approvals WHERE id = $1`, [id]);
  return rows[0];
}

async function auditFor(approvalId: string): Promise<{ method: string; decision: string; code: string; reason: string; upstream_status: number | null; argument_names: string[] }[]> {
  const { rows } = await getPool().query(
    `SELECT method, decision, code, reason, upstream_status, argument_names FROM audit_events WHERE grant_id = $1 AND reason LIKE '%' || $2 || '%' ORDER BY at, code`,
    [grantId, approvalId],
  );
  return rows;
}

const upstreamCalls = (tool: string, args: Record<string, unknown>) =>
  upstream.calls.filter((c) => c.name === tool && JSON.stringify(c.arguments) === JSON.stringify(args)).length;

beforeAll(async () => {
  const account = await signUp({ email: `approvals-${randomUUID()}@example.com`, password: "a long test password" });
  caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
  upstream = await startTestMcpServer();
  serverId = (await registerServer(caller, { name: "host", url: upstream.url, transport: "streamable_http" })).id;
  await savePolicyVersion(caller, serverId, { text: JSON.stringify(POLICY), message: "approvals test" });
  const created = await createGrant(caller, { name: "deploy bot", serverIds: [serverId] });
  key = created.key;
  grantId = created.grant.id;
  gateway = await startGateway();
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await Promise.all(quietWaiters.map((w) => w.close()));
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await upstream?.close();
});

describe("held calls", () => {
  it("holds a call with progress while it waits, then forwards it once approved, woken by the decision itself", async () => {
    const client = await connect((await startGateway(notifiedOnly)).origin);
    const args = { command: `deploy ${randomUUID()}` };
    const progress: string[] = [];
    const call = client.callTool({ name: "run_command", arguments: args }, undefined, { onprogress: (p) => progress.push(p.message ?? "") });
    const approval = await pendingFor("run_command", args);
    expect(approval).toMatchObject({ status: "pending", grant: { id: grantId, name: "deploy bot" }, rule: "run_command", argumentNames: ["command"] });
    expect(approval.waitingUntil).toEqual(expect.any(String));
    // The rule's approval_timeout_seconds (20) from the moment the call was held.
    expect(Date.parse(approval.waitingUntil!) - Date.now()).toBeGreaterThan(0);
    expect(Date.parse(approval.waitingUntil!) - Date.now()).toBeLessThanOrEqual(20_000);
    await expect.poll(() => progress.length).toBeGreaterThan(0);
    expect(progress[0]).toContain(approval.id);
    expect(upstreamCalls("run_command", args)).toBe(0);

    await decideApproval(caller, approval.id, { decision: "approve", note: "Looks right" });
    const result = await call;
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe("called run_command");
    expect(upstreamCalls("run_command", args)).toBe(1);

    // Used once, its values erased; every step in the audit trail, never the values.
    expect(await statusOf(approval.id)).toEqual({ status: "used", arguments: null });
    const steps = await auditFor(approval.id);
    expect(steps.map((s) => [s.method, s.decision, s.code])).toEqual([
      ["tools/call", "require_approval", "approval_held"],
      ["approval", "allow", "approval_approved"],
      ["tools/call", "allow", "approved"],
    ]);
    expect(steps[1]!.reason).toContain(caller.email);
    expect(steps[1]!.reason).toContain("Looks right");
    expect(steps[2]!.upstream_status).toBe(200);
    expect(JSON.stringify(steps)).not.toContain(args.command);
  });

  it("answers a rejected call with the approver's note and forwards nothing", async () => {
    const client = await connect();
    const args = { command: `rm -rf ${randomUUID()}` };
    const call = client.callTool({ name: "run_command", arguments: args });
    const approval = await pendingFor("run_command", args);
    await decideApproval(caller, approval.id, { decision: "reject", note: "Not on production, use staging." });
    const result = await call;
    expect(result.isError).toBe(true);
    expect(metaOf(result)).toMatchObject({ code: "approval_rejected", approvalId: approval.id });
    expect(textOf(result)).toContain("Not on production, use staging.");
    expect(textOf(result)).not.toContain(caller.email);
    expect(upstreamCalls("run_command", args)).toBe(0);
    expect(await statusOf(approval.id)).toEqual({ status: "rejected", arguments: null });
    expect((await auditFor(approval.id)).map((s) => s.code)).toEqual(["approval_held", "approval_rejected", "approval_rejected"]);
  });

  it("answers 'pending approval' on timeout; the approved retry goes through once; a reuse and changed arguments are held anew", async () => {
    const client = await connect();
    const args = { to: `ops-${randomUUID()}@example.com` };
    const first = await client.callTool({ name: "send_email", arguments: args });
    expect(first.isError).toBe(true);
    const pending = metaOf(first);
    expect(pending?.code).toBe("approval_pending");
    expect(textOf(first)).toContain(pending!.approvalId!);
    expect(textOf(first)).toMatch(/same arguments/);
    const approval = (await listApprovals(caller, "pending")).find((a) => a.id === pending!.approvalId)!;
    expect(approval.waitingUntil).toBeNull(); // nobody waits on it now: a retry picks the decision up

    await decideApproval(caller, approval.id, { decision: "approve" });
    const retry = await client.callTool({ name: "send_email", arguments: args });
    expect(retry.isError).toBeFalsy();
    expect(textOf(retry)).toBe("called send_email");
    expect(upstreamCalls("send_email", args)).toBe(1);

    // The approval was used: the same call again needs a new one.
    const again = await client.callTool({ name: "send_email", arguments: args });
    expect(metaOf(again)?.code).toBe("approval_pending");
    expect(metaOf(again)?.approvalId).not.toBe(approval.id);
    expect(upstreamCalls("send_email", args)).toBe(1);

    // Approved for these arguments only: different ones are held on their own approval.
    const other = { to: `ops-${randomUUID()}@example.com` };
    await decideApproval(caller, metaOf(again)!.approvalId!, { decision: "approve" });
    const changed = await client.callTool({ name: "send_email", arguments: other });
    expect(metaOf(changed)?.code).toBe("approval_pending");
    expect([approval.id, metaOf(again)!.approvalId]).not.toContain(metaOf(changed)!.approvalId);
    expect(upstreamCalls("send_email", other)).toBe(0);
  });

  it("a retry of a call still pending waits on the same approval", async () => {
    const client = await connect();
    const args = { to: `same-${randomUUID()}@example.com` };
    const first = metaOf(await client.callTool({ name: "send_email", arguments: args }))!;
    const second = metaOf(await client.callTool({ name: "send_email", arguments: args }))!;
    expect(second.code).toBe("approval_pending");
    expect(second.approvalId).toBe(first.approvalId);
    expect((await listApprovals(caller, "pending")).filter((a) => a.id === first.approvalId)).toHaveLength(1);
  });

  it("delivers a decision made through one instance to a call held by another", async () => {
    const second = await startGateway(notifiedOnly);
    const client = await connect(second.origin);
    const args = { command: `two instances ${randomUUID()}` };
    const call = client.callTool({ name: "run_command", arguments: args });
    const approval = await pendingFor("run_command", args);
    // The decision goes through the console's API route (another process in production), not through `second`.
    const { token } = await createToken(caller, { name: "approver" });
    const response = await (decisionRoute.POST as (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>)(
      new Request(`http://localhost/api/v1/approvals/${approval.id}/decision`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ decision: "approve" }),
      }),
      { params: Promise.resolve({ id: approval.id }) },
    );
    expect(response.status).toBe(200);
    // Through LISTEN/NOTIFY: `second` does not poll within the test's time.
    expect(textOf(await call)).toBe("called run_command");
  });

  it("withdraws the approval when the client closes its connection while held", async () => {
    const client = await connect();
    const args = { command: `hang up ${randomUUID()}` };
    const call = client.callTool({ name: "run_command", arguments: args });
    const approval = await pendingFor("run_command", args);
    await client.close();
    await expect(call).rejects.toThrow();
    await expect.poll(async () => (await statusOf(approval.id)).status, { timeout: 5_000 }).toBe("withdrawn");
    await expect.poll(async () => (await auditFor(approval.id)).map((s) => s.reason)).toEqual([expect.stringContaining("Held"), expect.stringContaining("went away")]);
    expect(upstreamCalls("run_command", args)).toBe(0);
  });

  it("withdraws the approval when the client cancels the held request", async () => {
    const client = await connect();
    const args = { command: `walk away ${randomUUID()}` };
    const controller = new AbortController();
    const call = client.callTool({ name: "run_command", arguments: args }, undefined, { signal: controller.signal });
    const approval = await pendingFor("run_command", args);
    controller.abort();
    await expect(call).rejects.toThrow();
    await expect.poll(async () => (await statusOf(approval.id)).status, { timeout: 5_000 }).toBe("withdrawn");
    expect((await statusOf(approval.id)).arguments).toBeNull();
    await expect(decideApproval(caller, approval.id, { decision: "approve" })).rejects.toMatchObject({ status: 409, message: /withdrew/ });
    await expect.poll(async () => (await auditFor(approval.id)).map((s) => s.code)).toEqual(["approval_held", "approval_withdrawn"]);
    expect(upstreamCalls("run_command", args)).toBe(0);
  });

  it("keeps the approval open when the client's own request timeout ends its wait, so its retry goes through once approved", async () => {
    const client = await connect();
    const args = { command: `short timeout ${randomUUID()}` };
    await expect(client.callTool({ name: "run_command", arguments: args }, undefined, { timeout: 1_500 })).rejects.toThrow(/timed out/);
    const approval = await pendingFor("run_command", args);
    await expect.poll(async () => (await listApprovals(caller, "pending")).find((a) => a.id === approval.id)?.waitingUntil).toBeNull();
    // The hold stops waiting first, then records the step: the row follows a moment after.
    await expect.poll(async () => (await auditFor(approval.id)).map((s) => s.code)).toEqual(["approval_held", "approval_pending"]);
    await decideApproval(caller, approval.id, { decision: "approve" });
    expect(textOf(await client.callTool({ name: "run_command", arguments: args }))).toBe("called run_command");
    expect(upstreamCalls("run_command", args)).toBe(1);
  });

  it("refuses a second decision (409) and a decision from another workspace (404)", async () => {
    const client = await connect();
    const args = { command: `decide twice ${randomUUID()}` };
    const call = client.callTool({ name: "run_command", arguments: args });
    const approval = await pendingFor("run_command", args);
    const outsider = await signUp({ email: `outsider-${randomUUID()}@example.com`, password: "a long test password" });
    const stranger: Caller = { userId: outsider.user.id, email: outsider.user.email, workspaceId: outsider.workspace.id, via: "session" };
    await expect(decideApproval(stranger, approval.id, { decision: "approve" })).rejects.toMatchObject({ status: 404 });
    expect(await listApprovals(stranger, "pending")).toEqual([]);
    await decideApproval(caller, approval.id, { decision: "reject" });
    await expect(decideApproval(caller, approval.id, { decision: "approve" })).rejects.toMatchObject({ status: 409, message: /already rejected/ });
    expect(metaOf(await call)?.code).toBe("approval_rejected");
  });

  it("refuses a malformed decision with a clear error, and an unknown approval with 404, changing nothing", async () => {
    const { token } = await createToken(caller, { name: "bad input" });
    const post = (id: string, body: unknown) =>
      (decisionRoute.POST as (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>)(
        new Request(`http://localhost/api/v1/approvals/${id}/decision`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
        { params: Promise.resolve({ id }) },
      );
    const client = await connect();
    const args = { command: `bad input ${randomUUID()}` };
    const call = client.callTool({ name: "run_command", arguments: args });
    const approval = await pendingFor("run_command", args);

    const maybe = await post(approval.id, { decision: "maybe" });
    expect(maybe.status).toBe(422);
    expect(JSON.stringify(await maybe.json())).toContain('Choose \\"approve\\" or \\"reject\\".');
    const long = await post(approval.id, { decision: "reject", note: "x".repeat(1001) });
    expect(long.status).toBe(422);
    expect((await post(randomUUID(), { decision: "approve" })).status).toBe(404);
    expect((await post("not-a-uuid", { decision: "approve" })).status).toBe(422);
    expect(await statusOf(approval.id)).toMatchObject({ status: "pending" });

    await decideApproval(caller, approval.id, { decision: "reject" });
    expect(metaOf(await call)?.code).toBe("approval_rejected");
  });

  it("answers a call in a batch 'pending approval' at once (a batch cannot wait)", async () => {
    const response = await fetch(`${gateway.origin}/gateway/${serverId}/mcp`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-03-26" },
      body: JSON.stringify([
        { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "run_command", arguments: { command: `batched ${randomUUID()}` } } },
        { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "list_files", arguments: {} } },
      ]),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    // JSON, or an event stream with one message (or batch) per event.
    const messages = (
      text.trim().startsWith("[")
        ? JSON.parse(text)
        : text.split("\n").filter((l) => l.startsWith("data: ")).flatMap((l) => [JSON.parse(l.slice(6))].flat())
    ) as { id: number; result: unknown }[];
    const held = messages.find((m) => m.id === 1)!;
    expect(metaOf(held.result)?.code).toBe("approval_pending");
    expect(textOf(messages.find((m) => m.id === 2)!.result)).toBe("called list_files");
  });

  it("forwards nothing when the approval cannot be used because the database fails", async () => {
    const broken = await startGateway((deps) => ({
      approvals: { ...deps.approvals!, store: { ...deps.approvals!.store, use: () => Promise.reject(new Error("connection refused")) } },
    }));
    const client = await connect(broken.origin);
    const args = { command: `database down ${randomUUID()}` };
    const call = client.callTool({ name: "run_command", arguments: args });
    const approval = await pendingFor("run_command", args);
    await decideApproval(caller, approval.id, { decision: "approve" });
    const result = await call;
    expect(metaOf(result)?.code).toBe("unavailable");
    expect(upstreamCalls("run_command", args)).toBe(0);
  });

  it("expires an approval nobody decided, in the housekeeping, and records it", async () => {
    const client = await connect();
    const args = { to: `expire-${randomUUID()}@example.com` };
    const id = metaOf(await client.callTool({ name: "send_email", arguments: args }))!.approvalId!;
    await getPool().query(`UPDATE approvals SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    const deps = gateway.deps;
    const result = await runGatewayHousekeeping({ counters: deps.counters, sessions: deps.sessions, audit: deps.audit, approvals: deps.approvals });
    expect(result.approvals).toBeGreaterThanOrEqual(1);
    expect(await statusOf(id)).toEqual({ status: "expired", arguments: null });
    expect((await auditFor(id)).map((s) => s.code)).toEqual(["approval_held", "approval_pending", "approval_expired"]);
    // An expired approval is not reused: the same call opens a new one.
    expect(metaOf(await client.callTool({ name: "send_email", arguments: args }))?.approvalId).not.toBe(id);
  });
});

describe("the approvals webhook", () => {
  it("tells the workspace's webhook when a call is held, without argument values, retrying after a failure", async () => {
    const received: { body: Record<string, unknown>; attempt: number }[] = [];
    let attempts = 0;
    const hook = createServer((req: IncomingMessage, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        attempts++;
        received.push({ body: JSON.parse(body), attempt: attempts });
        res.writeHead(attempts === 1 ? 503 : 200).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    servers.push(hook);
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/T000/B000/s3cretpart`;
    const view = await setApprovalWebhook(caller, hookUrl);
    expect(view).toEqual({ configured: true, origin: new URL(hookUrl).origin });
    const { rows } = await getPool().query(`SELECT approval_webhook_ciphertext AS sealed FROM workspaces WHERE id = $1`, [caller.workspaceId]);
    expect(rows[0].sealed).not.toContain("s3cretpart");

    const notifier = createApprovalNotifier(getPool(), { delaysMs: [50, 50], consoleUrl: "https://portcullis.example" });
    const withHook = await startGateway((deps) => ({ approvals: { ...deps.approvals!, notifier } }));
    try {
      const client = await connect(withHook.origin);
      const args = { to: `hook-${randomUUID()}@example.com` };
      const result = await client.callTool({ name: "send_email", arguments: args });
      await notifier.idle();
      expect(received.map((r) => r.attempt)).toEqual([1, 2]);
      const message = received[1]!.body as { text: string; approval: { id: string; tool: string; grant: { name: string }; url: string } };
      expect(message.text).toContain("`send_email`");
      expect(message.text).toContain("deploy bot");
      expect(message.text).toContain("https://portcullis.example/approvals");
      expect(message.approval).toMatchObject({ id: metaOf(result)!.approvalId, tool: "send_email", grant: { name: "deploy bot" } });
      expect(JSON.stringify(received)).not.toContain(args.to);
    } finally {
      await notifier.close();
      await setApprovalWebhook(caller, null);
    }
  });

  it("sends a test message on request and says whether it was delivered, never naming the URL's secret part", async () => {
    await setApprovalWebhook(caller, null);
    await expect(testApprovalWebhook(caller)).rejects.toMatchObject({ status: 404 });
    let answer = 204;
    const bodies: string[] = [];
    const hook = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        bodies.push(body);
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    servers.push(hook);
    const origin = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
    try {
      await setApprovalWebhook(caller, `${origin}/services/T1/B1/topsecret`);
      expect(await testApprovalWebhook(caller)).toEqual({ delivered: true, detail: `${origin} accepted the test message (HTTP 204).` });
      expect(JSON.parse(bodies[0]!)).toMatchObject({ test: true, text: expect.stringContaining("Portcullis test message") });
      answer = 404;
      const failed = await testApprovalWebhook(caller);
      expect(failed.delivered).toBe(false);
      expect(failed.detail).toMatch(/answered HTTP 404/);
      await setApprovalWebhook(caller, `http://127.0.0.1:1023/services/T1/B1/topsecret`);
      const unreachable = await testApprovalWebhook(caller);
      expect(unreachable.delivered).toBe(false);
      expect(unreachable.detail).toBe("The test message could not be delivered to http://127.0.0.1:1023: the connection was refused (nothing listens there).");
      expect(unreachable.detail).not.toContain("topsecret");
    } finally {
      await setApprovalWebhook(caller, null);
    }
  });

  it("never sends to an address the network guard refuses, and says why", async () => {
    let reached = 0;
    const hook = createServer((_req, res) => {
      reached++;
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    servers.push(hook);
    const port = (hook.address() as AddressInfo).port;
    try {
      // The tests' setting allows loopback only: a private address, and NAT64's form of the metadata address.
      await setApprovalWebhook(caller, "http://10.0.0.1/services/T1/B1/topsecret");
      expect(await testApprovalWebhook(caller)).toEqual({
        delivered: false,
        detail:
          "The test message could not be delivered to http://10.0.0.1: 10.0.0.1 is a private network address, and this Portcullis only connects to loopback addresses. An operator can allow it by starting Portcullis with PORTCULLIS_UPSTREAM_NETWORKS=private.",
      });
      await setApprovalWebhook(caller, "http://[64:ff9b::169.254.169.254]/hook");
      expect((await testApprovalWebhook(caller)).detail).toMatch(/64:ff9b::a9fe:a9fe, which carries the IPv4 address 169\.254\.169\.254, is a cloud metadata service/);

      // A host name is judged by the address it resolves to: localhost, where only public addresses are allowed.
      await setApprovalWebhook(caller, `http://localhost:${port}/services/T1/B1/topsecret`);
      const refused = await sendWebhookTest(getPool(), caller.workspaceId, { networks: "public" });
      expect(refused?.delivered).toBe(false);
      expect(refused?.detail).toMatch(
        new RegExp(`^The test message could not be delivered to http://localhost:${port}: localhost \\((127\\.0\\.0\\.1|::1)\\) is this machine \\(loopback\\), and this Portcullis only connects to public addresses\\. An operator can allow it by starting Portcullis with PORTCULLIS_UPSTREAM_NETWORKS=loopback\\.$`),
      );

      // A held call's message is not sent either, and not retried: the log says why, without the URL.
      const lines: string[] = [];
      const notifier = createApprovalNotifier(getPool(), { delaysMs: [10, 10], networks: "public", log: (line) => lines.push(line) });
      notifier.held({ approvalId: randomUUID(), workspaceId: caller.workspaceId, serverId, grantId, tool: "send_email", rule: null, reason: null, argumentNames: [] });
      await notifier.idle();
      await notifier.close();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/failed for approval .* \(localhost \((127\.0\.0\.1|::1)\) is this machine \(loopback\).*PORTCULLIS_UPSTREAM_NETWORKS=loopback\.\); giving up$/);
      expect(lines[0]).not.toContain("topsecret");
      expect(reached).toBe(0);
    } finally {
      await setApprovalWebhook(caller, null);
    }
  });

  it("refuses a webhook URL that is not http(s)", async () => {
    await expect(setApprovalWebhook(caller, "ftp://example.com/hook")).rejects.toMatchObject({ status: 422 });
    await expect(setApprovalWebhook(caller, "not a url")).rejects.toMatchObject({ status: 422 });
  });
});
