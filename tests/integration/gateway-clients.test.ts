import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client as ClientV2, ProtocolError, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import { decideApproval, listApprovals } from "@/lib/approvals/approvals";
import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { createGatewayHandler } from "@/lib/gateway/handler";
import { gatewayListener } from "../support/gateway-mount";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import { createGrant } from "@/lib/grants/grants";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import { registerServer } from "@/lib/servers/register-server";
import { startServerEverything, type RunningEverything } from "../support/server-everything";
import { startTestMcpServer, type TestMcpServer } from "../support/test-mcp-server";

// Other clients through the gateway: the 2.x client (@modelcontextprotocol/client, the 2026-07-28 SDK line), and
// server -> client requests (sampling, elicitation) travelling back through the gateway, with both SDK lines.

let caller: Caller;
let test: TestMcpServer;
let everything: RunningEverything;
let gateway: Server;
let gatewayOrigin: string;
let testServerId: string;
let everythingId: string;
let key: string;
let grantId: string;
const closers: (() => Promise<unknown>)[] = [];

const TEST_POLICY = {
  version: "1",
  default: "deny",
  tools: {
    list_files: {},
    "get_*": {},
    send_email: { args: { to: { pattern: "@example\\.com$" } } },
    run_command: { action: "require_approval", reason: "Commands change the host.", approval_timeout_seconds: 1 },
    get_record_7: { action: "require_approval", approval_timeout_seconds: 20 },
    delete_file: { action: "deny" },
  },
};
const EVERYTHING_POLICY = {
  version: "1",
  default: "deny",
  tools: { echo: {}, "trigger-long-running-operation": {}, "trigger-sampling-request": {}, "trigger-elicitation-request": {} },
};

const gatewayUrl = (serverId: string) => `${gatewayOrigin}/gateway/${serverId}/mcp`;
const textOf = (result: unknown) => ((result as { content: { text: string }[] }).content.map((c) => c.text).join("\n"));
const metaOf = (result: unknown) => (result as { _meta?: Record<string, { code: string }> })._meta?.["portcullis/decision"];

/** The 2.x client; `auto` probes with server/discover (2026-07-28) and falls back to initialize. */
async function connectV2(
  serverId: string,
  options: { negotiation?: "legacy" | "auto"; capabilities?: Record<string, object>; sessionIds?: (string | null)[] } = {},
): Promise<ClientV2> {
  const client = new ClientV2(
    { name: "gateway-test-v2", version: "2.0.0" },
    { capabilities: options.capabilities ?? {}, versionNegotiation: { mode: options.negotiation ?? "legacy" } },
  );
  const transport = new TransportV2(new URL(gatewayUrl(serverId)), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
    // Records the session id each request carried, to show what the client does with the gateway's sessions.
    fetch: async (url, init) => {
      options.sessionIds?.push(new Headers(init?.headers).get("mcp-session-id"));
      return fetch(url, init);
    },
  });
  await client.connect(transport);
  closers.push(() => client.close());
  return client;
}

async function connectV1(serverId: string, capabilities: Record<string, object> = {}): Promise<Client> {
  const client = new Client({ name: "gateway-test-v1", version: "1.0.0" }, { capabilities });
  await client.connect(new StreamableHTTPClientTransport(new URL(gatewayUrl(serverId)), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
  }));
  closers.push(() => client.close());
  return client;
}

beforeAll(async () => {
  const account = await signUp({ email: `clients-${randomUUID()}@example.com`, password: "a long test password" });
  caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
  [test, everything] = await Promise.all([startTestMcpServer({ token: "upstream-s3cret" }), startServerEverything("streamableHttp")]);
  testServerId = (await registerServer(caller, {
    name: "test", url: `${test.origin}/private`, transport: "streamable_http", credentials: { type: "bearer", token: "upstream-s3cret" },
  })).id;
  everythingId = (await registerServer(caller, { name: "everything", url: everything.url, transport: "streamable_http" })).id;
  await savePolicyVersion(caller, testServerId, { text: JSON.stringify(TEST_POLICY), message: "clients test" });
  await savePolicyVersion(caller, everythingId, { text: JSON.stringify(EVERYTHING_POLICY), message: "clients test" });
  const created = await createGrant(caller, { name: "clients", serverIds: [testServerId, everythingId] });
  key = created.key;
  grantId = created.grant.id;
  gateway = createServer(gatewayListener(createGatewayHandler(createDatabaseGatewayDeps())));
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  gatewayOrigin = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await Promise.all(closers.map((close) => close().catch(() => {})));
  gateway?.closeAllConnections();
  await new Promise((resolve) => gateway?.close(resolve));
  await Promise.all([test?.close(), everything?.stop()]);
});

describe.each(["legacy", "auto"] as const)("the 2.x client (versionNegotiation %s) through the gateway", (negotiation) => {
  it("lists only the allowed tools of the SDK test server, across pages", async () => {
    const client = await connectV2(testServerId, { negotiation });
    expect(client.getProtocolEra()).toBe("legacy"); // the upstream is a 2025 server: the gateway must not hide that
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toHaveLength(23); // 25 upstream tools; delete_file denied, create_refund not allowed by default
    expect(names).toContain("get_record_24");
    expect(names).not.toContain("delete_file");
    expect(names).not.toContain("create_refund");
  });

  it("holds a call until a person approves it, then returns its result", async () => {
    const client = await connectV2(testServerId, { negotiation });
    const id = `held-${negotiation}-${randomUUID()}`;
    const call = client.callTool({ name: "get_record_7", arguments: { id } });
    let approvalId: string | undefined;
    await expect
      .poll(async () => (approvalId = (await listApprovals(caller, "pending")).find((a) => a.arguments?.id === id)?.id), { timeout: 10_000 })
      .toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await decideApproval(caller, approvalId!, { decision: "approve" });
    expect(textOf(await call)).toBe("called get_record_7");
  });

  it("calls an allowed tool, reads a refusal's text, and gets -32602 for hidden and unknown tools", async () => {
    const client = await connectV2(testServerId, { negotiation });
    expect(textOf(await client.callTool({ name: "list_files", arguments: { path: "/tmp" } }))).toBe("called list_files");
    const violation = await client.callTool({ name: "send_email", arguments: { to: "someone@evil.test" } });
    expect(violation.isError).toBe(true);
    expect(metaOf(violation)?.code).toBe("argument_violation");
    expect(textOf(violation)).toMatch(/`?to`?/);
    const held = await client.callTool({ name: "run_command", arguments: { command: "ls" } });
    expect(metaOf(held)?.code).toBe("approval_pending");
    expect(textOf(held)).toMatch(/approval/);
    for (const name of ["delete_file", "no_such_tool"]) {
      const error = await client.callTool({ name, arguments: {} }).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error).toMatchObject({ code: -32602 });
    }
  });

  it("lists and calls server-everything, keeping the gateway's session", async () => {
    const sessionIds: (string | null)[] = [];
    const client = await connectV2(everythingId, { negotiation, sessionIds });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["echo", "trigger-long-running-operation"]);
    expect(textOf(await client.callTool({ name: "echo", arguments: { message: "hello from 2.x" } }))).toContain("hello from 2.x");
    // Every request after initialize carried the gateway's own session id.
    const after = sessionIds.slice(sessionIds.findIndex((id) => id !== null));
    expect(after.length).toBeGreaterThan(2);
    expect(new Set(after).size).toBe(1);
    expect(after[0]).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it("streams progress notifications to the 2.x client as they happen", async () => {
    const client = await connectV2(everythingId, { negotiation });
    const started = Date.now();
    const progressAt: number[] = [];
    const result = await client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 1, steps: 4 } }, {
      onprogress: () => progressAt.push(Date.now() - started),
    });
    const doneAt = Date.now() - started;
    expect(textOf(result)).toContain("Long running operation completed");
    expect(progressAt).toHaveLength(4);
    expect(progressAt[0]).toBeLessThan(doneAt - 400);
  });
});

describe("server -> client requests through the gateway", () => {
  const sampled = (question: string) => `sampled: ${question.length} characters`;

  it("round-trips sampling with the 1.x SDK client", async () => {
    const client = await connectV1(everythingId, { sampling: {} });
    let asked = "";
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      const content = request.params.messages[0]?.content;
      asked = content && "text" in content ? String(content.text) : "";
      return { role: "assistant", model: "test-model", content: { type: "text", text: sampled(asked) } };
    });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("trigger-sampling-request");
    const result = await client.callTool({ name: "trigger-sampling-request", arguments: { prompt: "What is a portcullis?", maxTokens: 20 } });
    expect(asked).toContain("What is a portcullis?");
    expect(textOf(result)).toContain(sampled(asked));
  });

  it("round-trips elicitation with the 1.x SDK client", async () => {
    const client = await connectV1(everythingId, { elicitation: {} });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: { name: "Ada Lovelace", check: true } }));
    const result = await client.callTool({ name: "trigger-elicitation-request", arguments: {} });
    expect(textOf(result)).toContain("- Name: Ada Lovelace");
    expect(textOf(result)).toContain("- Agreed to terms: true");
  });

  it("round-trips sampling and elicitation with the 2.x client", async () => {
    const client = await connectV2(everythingId, { negotiation: "auto", capabilities: { sampling: {}, elicitation: { form: {} } } });
    client.setRequestHandler("sampling/createMessage", async (request) => {
      const content = request.params.messages[0]?.content;
      const text = content && !Array.isArray(content) && content.type === "text" ? content.text : "";
      return { role: "assistant", model: "test-model", content: { type: "text", text: sampled(text) } };
    });
    client.setRequestHandler("elicitation/create", async () => ({ action: "decline" }));
    const sampling = await client.callTool({ name: "trigger-sampling-request", arguments: { prompt: "hi", maxTokens: 5 } });
    expect(textOf(sampling)).toContain(sampled("Resource trigger-sampling-request context: hi"));
    const elicitation = await client.callTool({ name: "trigger-elicitation-request", arguments: {} });
    expect(textOf(elicitation)).toContain("User declined");
  });

  it("audits the client's answers to server requests as responses, without values", async () => {
    const rows = await getPrisma().auditEvent.findMany({ where: { grantId, serverId: everythingId, method: "(response)" } });
    expect(rows.length).toBeGreaterThanOrEqual(3); // two samplings and two elicitations answered
    expect(JSON.stringify(rows)).not.toContain("Ada Lovelace");
  });
});
