import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import { createGatewayHandler } from "@/lib/gateway/handler";
import { gatewayListener } from "../support/gateway-mount";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import { createGrant } from "@/lib/grants/grants";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import { registerServer } from "@/lib/servers/register-server";

// A server request that belongs to no call (sampling sent on the session's own event stream) while the client's GET
// has not arrived yet: the gateway opens that stream upstream right after `initialized`, so the request waits in it
// instead of being dropped by the server. Found by the MCP conformance suite (tools-call-sampling).

let upstream: HttpServer;
let gateway: HttpServer;
let gatewayUrl: string;
let key: string;

/** A stateful SDK server whose tool asks the client's model through the session's stream (no related request). */
async function startStatefulServer(): Promise<string> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  upstream = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const id = req.headers["mcp-session-id"];
    let transport = typeof id === "string" ? transports.get(id) : undefined;
    if (!transport) {
      transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => void transports.set(sid, transport!) });
      const server = new Server({ name: "stateful", version: "1.0.0" }, { capabilities: { tools: {} } });
      server.setRequestHandler(ListToolsRequestSchema, async () => ({
        tools: [{ name: "ask_model", description: "Asks the client's model a question.", inputSchema: { type: "object" } }],
      }));
      server.setRequestHandler(CallToolRequestSchema, async () => {
        const answer = await server.createMessage({ messages: [{ role: "user", content: { type: "text", text: "2+2?" } }], maxTokens: 10 });
        return { content: [{ type: "text", text: `model said: ${(answer.content as { text: string }).text}` }] };
      });
      await server.connect(transport);
    }
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/mcp`;
}

/** Reads an SSE response's JSON messages as they come. */
async function* messages(response: Response): AsyncGenerator<Record<string, unknown>> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const data = buffer.slice(0, end).split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("");
      buffer = buffer.slice(end + 2);
      if (data) yield JSON.parse(data) as Record<string, unknown>;
    }
  }
}

beforeAll(async () => {
  const account = await signUp({ email: `stream-${randomUUID()}@example.com`, password: "a long test password" });
  const caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" as const };
  const url = await startStatefulServer();
  const serverId = (await registerServer(caller, { name: "stateful", url, transport: "streamable_http" })).id;
  await savePolicyVersion(caller, serverId, { text: JSON.stringify({ version: "1", default: "deny", tools: { ask_model: {} } }), message: "allow" });
  key = (await createGrant(caller, { name: "stream", serverIds: [serverId] })).key;
  gateway = createServer(gatewayListener(createGatewayHandler(createDatabaseGatewayDeps())));
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/gateway/${serverId}/mcp`;
}, 60_000);

afterAll(async () => {
  for (const server of [gateway, upstream]) {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  }
});

it("delivers a server request sent before the client's GET arrives, and the call completes with the answer", async () => {
  const headers = (session?: string) => ({
    "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${key}`,
    "mcp-protocol-version": "2025-06-18", ...(session ? { "mcp-session-id": session } : {}),
  });
  const init = await fetch(gatewayUrl, {
    method: "POST", headers: headers(),
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: { sampling: {} }, clientInfo: { name: "raw", version: "1" } } }),
  });
  const session = init.headers.get("mcp-session-id")!;
  await init.text();
  const initialized = await fetch(gatewayUrl, { method: "POST", headers: headers(session), body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) });
  expect(initialized.status).toBe(202);

  // The call first; the server asks for sampling at once, on the session's stream, which the client has not opened.
  const call = await fetch(gatewayUrl, {
    method: "POST", headers: headers(session),
    body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "ask_model", arguments: {} } }),
  });
  const callMessages = messages(call);
  await new Promise((resolve) => setTimeout(resolve, 300));

  const hangUp = new AbortController();
  const stream = await fetch(gatewayUrl, { method: "GET", headers: { ...headers(session), accept: "text/event-stream" }, signal: hangUp.signal });
  expect(stream.status).toBe(200);
  const streamMessages = messages(stream);
  let request: Record<string, unknown> | undefined;
  for await (const message of streamMessages) {
    if (message.method === "sampling/createMessage") {
      request = message;
      break;
    }
  }
  expect(request).toMatchObject({
    jsonrpc: "2.0",
    method: "sampling/createMessage",
    id: expect.anything(),
    params: { messages: [{ role: "user", content: { type: "text", text: "2+2?" } }], maxTokens: 10 },
  });
  const answered = await fetch(gatewayUrl, {
    method: "POST", headers: headers(session),
    body: JSON.stringify({ jsonrpc: "2.0", id: request!.id, result: { role: "assistant", model: "test", content: { type: "text", text: "four" } } }),
  });
  expect(answered.status).toBe(202);
  let result: Record<string, unknown> | undefined;
  for await (const message of callMessages) {
    if (message.id === 2) {
      result = message;
      break;
    }
  }
  expect(JSON.stringify(result)).toContain("model said: four");
  hangUp.abort();
}, 20_000);
