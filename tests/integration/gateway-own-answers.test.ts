import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client as ClientV2, ProtocolError, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import { decideApproval, listApprovals } from "@/lib/approvals/approvals";
import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { createGatewayHandler, type GatewayDeps } from "@/lib/gateway/handler";
import { gatewayListener } from "../support/gateway-mount";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import { createGrant } from "@/lib/grants/grants";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import { registerServer } from "@/lib/servers/register-server";
import { startV2McpServer, type V2McpServer } from "../support/v2-mcp-server";

// Every answer the gateway makes itself (refusals, holds, errors), read by the official clients of both SDK lines:
// the 1.x client (protocol 2025-11-25, sessions) and the 2.x client pinned to the stateless 2026-07-28 revision,
// whose results must carry `resultType`. The upstream is a 2.x SDK server, which speaks both.

const STRING = { type: "string" };
const tool = (name: string, properties: Record<string, { type: string }> = {}) => ({ name, description: `The ${name} tool.`, inputSchema: { type: "object" as const, properties } });
const TOOLS = [
  tool("list_files", { path: STRING }),
  tool("send_email", { to: STRING, subject: STRING }),
  tool("set_mode", { mode: STRING }),
  tool("get_record", { id: STRING }),
  tool("delete_file", { path: STRING }),
  tool("run_command", { command: STRING }),
  tool("quick_check", { what: STRING }),
  tool("review_me", { what: STRING }),
];
const POLICY = {
  version: "1",
  default: "deny",
  tools: {
    list_files: {},
    review_me: {},
    send_email: { args: { to: { pattern: "@example\\.com$" }, subject: { maxLength: 20 } } },
    set_mode: { args: { mode: { enum: ["read", "write"] } } },
    get_record: { limits: [{ counter: "records", window: "hour", max: 1, scope: "grant" }] },
    delete_file: { action: "deny", reason: "Deleting is done by people." },
    run_command: { action: "require_approval", reason: "Commands change the host.", approval_timeout_seconds: 20 },
    quick_check: { action: "require_approval", approval_timeout_seconds: 1 },
  },
};

interface CallResult {
  content: { type: string; text?: string }[];
  isError?: boolean;
  _meta?: Record<string, unknown>;
}

/** One client, whichever SDK line: calls a tool, and tells which protocol version each of its requests named. */
interface Agent {
  callTool(name: string, args: Record<string, unknown>, onprogress?: () => void): Promise<CallResult>;
  /** The MCP-Protocol-Version header of every tools/call sent. */
  versions: (string | null)[];
  close(): Promise<void>;
}

interface Connect {
  origin: string;
  serverId: string;
  key: string;
  /** Sent without text/event-stream in Accept: a client that takes no event stream, so a call cannot be held. */
  plainJsonCalls?: boolean;
}

/** Records the protocol version of each tools/call, and drops text/event-stream from Accept when asked to. */
function recordingFetch(versions: (string | null)[], plainJsonCalls: boolean): typeof fetch {
  return async (url, init) => {
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === "string" ? init.body : "";
    if (body.includes('"tools/call"')) {
      versions.push(headers.get("mcp-protocol-version"));
      if (plainJsonCalls) headers.set("accept", "application/json");
    }
    return fetch(url, { ...init, headers });
  };
}

const CLIENTS = {
  "the 1.x client (2025-11-25)": {
    version: "2025-11-25",
    async connect({ origin, serverId, key, plainJsonCalls = false }: Connect): Promise<Agent> {
      const versions: (string | null)[] = [];
      const client = new Client({ name: "answers-v1", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${origin}/gateway/${serverId}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${key}` } },
          fetch: recordingFetch(versions, plainJsonCalls),
        }),
      );
      return {
        versions,
        callTool: (name, args, onprogress) => client.callTool({ name, arguments: args }, undefined, onprogress ? { onprogress, timeout: 30_000 } : { timeout: 30_000 }) as Promise<CallResult>,
        close: () => client.close(),
      };
    },
    isProtocolError: (error: unknown) => error instanceof McpError,
  },
  "the 2.x client pinned to 2026-07-28": {
    version: "2026-07-28",
    async connect({ origin, serverId, key, plainJsonCalls = false }: Connect): Promise<Agent> {
      const versions: (string | null)[] = [];
      const client = new ClientV2({ name: "answers-v2", version: "2.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } });
      await client.connect(
        new TransportV2(new URL(`${origin}/gateway/${serverId}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${key}` } },
          fetch: recordingFetch(versions, plainJsonCalls),
        }),
      );
      expect(client.getProtocolEra()).toBe("modern");
      return {
        versions,
        callTool: (name, args, onprogress) => client.callTool({ name, arguments: args }, onprogress ? { onprogress, timeout: 30_000 } : { timeout: 30_000 }) as Promise<CallResult>,
        close: () => client.close(),
      };
    },
    isProtocolError: (error: unknown) => error instanceof ProtocolError,
  },
} as const;

let caller: Caller;
let upstream: V2McpServer;
let serverId: string;
let gateway: { origin: string; deps: GatewayDeps };
const servers: Server[] = [];
const closers: (() => Promise<unknown>)[] = [];

async function startGateway(overrides: (deps: GatewayDeps) => Partial<GatewayDeps> = () => ({})): Promise<{ origin: string; deps: GatewayDeps }> {
  const base = createDatabaseGatewayDeps();
  const deps = { ...base, ...overrides(base) };
  deps.approvals = { ...deps.approvals!, progressEveryMs: 200 };
  const server = createServer(gatewayListener(createGatewayHandler(deps)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, deps };
}

const textOf = (result: CallResult) => result.content.map((c) => c.text ?? "").join("\n");
const decisionOf = (result: CallResult) => result._meta?.["portcullis/decision"] as { code: string; retryAfterSeconds?: number; approvalId?: string } | undefined;

async function pendingApproval(tool: string, args: Record<string, unknown>): Promise<string> {
  let id: string | undefined;
  await expect
    .poll(async () => (id = (await listApprovals(caller, "pending")).find((a) => a.tool === tool && JSON.stringify(a.arguments) === JSON.stringify(args))?.id), {
      timeout: 10_000,
    })
    .toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  return id!;
}

beforeAll(async () => {
  const account = await signUp({ email: `answers-${randomUUID()}@example.com`, password: "a long test password" });
  caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
  upstream = await startV2McpServer(TOOLS);
  serverId = (await registerServer(caller, { name: "v2 upstream", url: upstream.url, transport: "streamable_http" })).id;
  await savePolicyVersion(caller, serverId, { text: JSON.stringify(POLICY), message: "own answers test" });
  // A tool whose definition changed upstream and awaits a person's review.
  await getPrisma().tool.updateMany({ where: { serverId, name: "review_me" }, data: { status: "needs_review" } });
  gateway = await startGateway();
}, 60_000);

afterAll(async () => {
  await Promise.all(closers.map((close) => close().catch(() => {})));
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await upstream?.close();
});

describe.each(Object.entries(CLIENTS))("%s reads every answer of the gateway", (label, kind) => {
  let key: string;
  let agent: Agent;
  const connect = async (options: Partial<Connect> = {}) => {
    const connected = await kind.connect({ origin: gateway.origin, serverId, key, ...options });
    closers.push(() => connected.close());
    return connected;
  };

  beforeAll(async () => {
    // A grant per client, so each one has its own rate-limit budget.
    key = (await createGrant(caller, { name: label, serverIds: [serverId] })).key;
    agent = await connect();
  });

  it("gets the upstream's result for an allowed call, under its own protocol version", async () => {
    const result = await agent.callTool("list_files", { path: "/tmp" });
    expect(textOf(result)).toBe("called list_files");
    expect(result.isError).toBeFalsy();
    expect(agent.versions.at(-1)).toBe(kind.version);
  });

  it.each([
    ["a pattern", "send_email", { to: "someone@evil.test" }, /to/],
    ["a maxLength", "send_email", { to: "a@example.com", subject: "x".repeat(21) }, /subject/],
    ["an enum", "set_mode", { mode: "admin" }, /mode/],
  ])("reads an argument refusal (%s) as an error result", async (_, name, args, names) => {
    const result = await agent.callTool(name, args);
    expect(result.isError).toBe(true);
    expect(decisionOf(result)?.code).toBe("argument_violation");
    expect(textOf(result)).toMatch(names);
  });

  it("reads a rate limit as an error result with the time to retry", async () => {
    expect((await agent.callTool("get_record", { id: "1" })).isError).toBeFalsy();
    const limited = await agent.callTool("get_record", { id: "2" });
    expect(limited.isError).toBe(true);
    expect(decisionOf(limited)?.code).toBe("rate_limited");
    // The counter's window is an hour: the retry comes when it ends, within the hour.
    expect(decisionOf(limited)?.retryAfterSeconds).toBeGreaterThan(0);
    expect(decisionOf(limited)?.retryAfterSeconds).toBeLessThanOrEqual(3600);
  });

  it("reads a tool awaiting review as an error result", async () => {
    const result = await agent.callTool("review_me", { what: "x" });
    expect(result.isError).toBe(true);
    expect(decisionOf(result)?.code).toBe("needs_review");
    expect(textOf(result)).toMatch(/review/);
  });

  it.each(["delete_file", "no_such_tool"])("gets -32602 Unknown tool for %s (denied by a rule, or missing)", async (name) => {
    const error = await agent.callTool(name, {}).then(() => null, (e: unknown) => e);
    expect(kind.isProtocolError(error)).toBe(true);
    expect(error).toMatchObject({ code: -32602 });
    expect(String((error as Error).message)).toContain(`Unknown tool: ${name}`);
  });

  it("reads 'pending approval' at once when it takes no event stream (the call cannot be held)", async () => {
    const plain = await connect({ plainJsonCalls: true });
    const args = { command: `plain ${randomUUID()}` };
    const result = await plain.callTool("run_command", args);
    expect(result.isError).toBe(true);
    expect(decisionOf(result)?.code).toBe("approval_pending");
    expect(decisionOf(result)?.approvalId).toBe(await pendingApproval("run_command", args));
  });

  it("reads 'pending approval' when nobody decides within the rule's timeout", async () => {
    const result = await agent.callTool("quick_check", { what: randomUUID() });
    expect(result.isError).toBe(true);
    expect(decisionOf(result)?.code).toBe("approval_pending");
  });

  it("gets progress while held, then the upstream's result once a person approves", async () => {
    const args = { command: `approve ${randomUUID()}` };
    let progress = 0;
    const call = agent.callTool("run_command", args, () => progress++);
    const id = await pendingApproval("run_command", args);
    await expect.poll(() => progress, { timeout: 5_000 }).toBeGreaterThan(0);
    await decideApproval(caller, id, { decision: "approve" });
    const result = await call;
    expect(textOf(result)).toBe("called run_command");
    expect(result.isError).toBeFalsy();
  });

  it("reads a rejection, with the approver's note, as an error result", async () => {
    const args = { command: `reject ${randomUUID()}` };
    const call = agent.callTool("run_command", args);
    await decideApproval(caller, await pendingApproval("run_command", args), { decision: "reject", note: "Not on production." });
    const result = await call;
    expect(result.isError).toBe(true);
    expect(decisionOf(result)?.code).toBe("approval_rejected");
    expect(textOf(result)).toContain("Not on production.");
  });

  it("reads 'unavailable' when the database fails while a held call is approved", async () => {
    const broken = await startGateway((deps) => ({
      approvals: { ...deps.approvals!, store: { ...deps.approvals!.store, use: () => Promise.reject(new Error("connection refused")) } },
    }));
    const client = await kind.connect({ origin: broken.origin, serverId, key });
    closers.push(() => client.close());
    const args = { command: `database down ${randomUUID()}` };
    const call = client.callTool("run_command", args);
    await decideApproval(caller, await pendingApproval("run_command", args), { decision: "approve" });
    const result = await call;
    expect(result.isError).toBe(true);
    expect(decisionOf(result)?.code).toBe("unavailable");
    expect(upstream.calls.filter((c) => c.arguments?.command === args.command)).toHaveLength(0);
  });

  it("shows the gateway's sentence when the database cannot be reached at all (HTTP 503)", async () => {
    // The database goes away after the client connected: only tool calls find it unreachable.
    const broken = await startGateway((deps) => ({
      admit: {
        ...deps.admit,
        admit: (request) => (request.rows.some((row) => row.method === "tools/call") ? Promise.reject(new Error("pool closed")) : deps.admit.admit(request)),
      },
    }));
    const client = await kind.connect({ origin: broken.origin, serverId, key });
    closers.push(() => client.close());
    const error = await client.callTool("list_files", {}).then(() => null, (e: unknown) => e);
    expect(String((error as Error)?.message)).toMatch(/could not reach its database/);
  });
});
