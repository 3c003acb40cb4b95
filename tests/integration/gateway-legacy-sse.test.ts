import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { createGatewayHandler, type GatewayDeps } from "@/lib/gateway/handler";
import { gatewayListener } from "../support/gateway-mount";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import { createGrant } from "@/lib/grants/grants";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import { registerServer } from "@/lib/servers/register-server";
import { UPSTREAM_CLOSED } from "@/lib/upstream/legacy-sse-bridge";
import { startLegacySseServer, type LegacySseServer } from "../support/legacy-sse-server";
import { outcomesRecorded } from "../support/audit-outcomes";
import { startServerEverything, type RunningEverything } from "../support/server-everything";

// Legacy HTTP+SSE upstreams end to end: the official SDK client (Streamable HTTP) -> the gateway -> the legacy SSE
// bridge -> real legacy servers (the SDK's SSEServerTransport, and server-everything in `sse` mode).

let caller: Caller;
let legacy: LegacySseServer;
let everything: RunningEverything;
let gateway: Server;
let gatewayOrigin: string;
let legacyId: string;
let everythingId: string;
let key: string;
let grantId: string;
const clients: Client[] = [];

const textOf = (result: unknown) => ((result as { content: { text: string }[] }).content[0]?.text ?? "");
const gatewayUrl = (serverId: string) => `${gatewayOrigin}/gateway/${serverId}/mcp`;

/** The gateway's own deps: servers whose detected transport is `sse` are reached through the legacy bridge. */
function depsWithBridge(): GatewayDeps {
  return createDatabaseGatewayDeps();
}

async function connect(serverId: string, sampling?: (question: string) => string): Promise<Client> {
  const client = new Client({ name: "gateway-legacy-test", version: "1.0.0" }, { capabilities: sampling ? { sampling: {} } : {} });
  if (sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      const first = request.params.messages[0]?.content;
      return { role: "assistant", model: "test-model", content: { type: "text", text: sampling(first && "text" in first ? String(first.text) : "") } };
    });
  }
  await client.connect(new StreamableHTTPClientTransport(new URL(gatewayUrl(serverId)), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
  }));
  clients.push(client);
  return client;
}

async function until(condition: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  const account = await signUp({ email: `legacy-${randomUUID()}@example.com`, password: "a long test password" });
  caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
  [legacy, everything] = await Promise.all([startLegacySseServer({ token: "legacy-s3cret" }), startServerEverything("sse")]);

  // `auto`: Streamable HTTP is tried first, then the legacy transport is detected and recorded.
  const registered = await registerServer(caller, { name: "legacy", url: legacy.url, transport: "auto", credentials: { type: "bearer", token: "legacy-s3cret" } });
  const registeredEverything = await registerServer(caller, { name: "everything (sse)", url: everything.url, transport: "auto" });
  for (const server of [registered, registeredEverything]) expect(server.detectedTransport).toBe("sse");
  legacyId = registered.id;
  everythingId = registeredEverything.id;
  await savePolicyVersion(caller, legacyId, {
    text: JSON.stringify({
      version: "1",
      default: "deny",
      tools: { list_files: {}, count_slowly: {}, ask_model: {}, wait_forever: {}, delete_file: { action: "deny", reason: "Deleting is not allowed." } },
    }),
    message: "legacy",
  });
  await savePolicyVersion(caller, everythingId, {
    text: JSON.stringify({ version: "1", default: "deny", tools: { echo: {}, "trigger-long-running-operation": {} } }),
    message: "echo and progress",
  });
  const created = await createGrant(caller, { name: "legacy client", serverIds: [legacyId, everythingId] });
  key = created.key;
  grantId = created.grant.id;

  gateway = createServer(gatewayListener(createGatewayHandler(depsWithBridge())));
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  gatewayOrigin = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  gateway?.closeAllConnections();
  await new Promise((resolve) => gateway?.close(resolve));
  await Promise.all([legacy?.close(), everything?.stop()]);
});

describe("a legacy HTTP+SSE upstream through the gateway", () => {
  it("lists only the tools the policy may allow", async () => {
    const client = await connect(legacyId);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["ask_model", "count_slowly", "list_files", "wait_forever"]);
    expect(client.getServerVersion()?.name).toBe("portcullis-legacy-sse-server");
  });

  it("forwards an allowed call with the server's credentials, never the client's key", async () => {
    const client = await connect(legacyId);
    const result = await client.callTool({ name: "list_files", arguments: { path: "/tmp" } });
    expect(textOf(result)).toBe("called list_files");
    expect(legacy.seenAuthorization.length).toBeGreaterThan(0);
    expect(legacy.seenAuthorization.every((h) => h === "Bearer legacy-s3cret")).toBe(true);
  });

  it("answers a denied or unknown tool with -32602, posting nothing upstream", async () => {
    const client = await connect(legacyId);
    const posts = legacy.posts();
    await expect(client.callTool({ name: "delete_file", arguments: { path: "/" } })).rejects.toMatchObject({ code: -32602 });
    await expect(client.callTool({ name: "no_such_tool", arguments: {} })).rejects.toMatchObject({ code: -32602 });
    expect(legacy.posts()).toBe(posts);
  });

  it("streams progress notifications as they happen, not buffered until the result", async () => {
    const client = await connect(legacyId);
    const started = Date.now();
    const progressAt: number[] = [];
    const result = await client.callTool({ name: "count_slowly", arguments: { steps: 4, stepMs: 200 } }, undefined, {
      onprogress: () => progressAt.push(Date.now() - started),
    });
    const doneAt = Date.now() - started;
    expect(textOf(result)).toBe("counted to 4");
    expect(progressAt).toHaveLength(4);
    expect(progressAt[0]).toBeLessThan(doneAt - 400);
  });

  it("carries the server's sampling request to the client and the answer back", async () => {
    const client = await connect(legacyId, (question) => `42, to "${question}"`);
    const result = await client.callTool({ name: "ask_model", arguments: { question: "the answer?" } });
    expect(textOf(result)).toBe('the model said: 42, to "the answer?"');
  });

  it("works with server-everything in sse mode: filtered list, echo and progress", async () => {
    const client = await connect(everythingId);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["echo", "trigger-long-running-operation"]);
    expect(textOf(await client.callTool({ name: "echo", arguments: { message: "hello over sse" } }))).toContain("hello over sse");
    const progress: number[] = [];
    await client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 0.6, steps: 3 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(progress).toEqual([1, 2, 3]);
    await expect(client.callTool({ name: "get-env", arguments: {} })).rejects.toMatchObject({ code: -32602 });
  });

  it("closes the upstream event stream when the client ends its session", async () => {
    const client = await connect(legacyId);
    const open = legacy.openStreams();
    await (client.transport as StreamableHTTPClientTransport).terminateSession();
    await until(() => legacy.openStreams() === open - 1);
  });

  it("records the calls in the audit trail with the upstream's status", async () => {
    await outcomesRecorded(grantId);
    const rows = await getPrisma().auditEvent.findMany({ where: { grantId, serverId: legacyId, tool: "list_files" } });
    expect(rows.at(-1)).toMatchObject({ method: "tools/call", decision: "allow", upstreamStatus: 200 });
  });

  // Last: it ends every stream of the legacy server.
  it("answers a call still waiting with -32603 when the upstream closes its stream", async () => {
    const client = await connect(legacyId);
    const posts = legacy.posts();
    const waiting = client.callTool({ name: "wait_forever", arguments: {} });
    await until(() => legacy.posts() > posts); // the call has reached the server
    legacy.dropStreams();
    await expect(waiting).rejects.toMatchObject({ code: -32603, message: expect.stringContaining(UPSTREAM_CLOSED) });
  });
});
