import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardedFetch } from "@/lib/upstream/guarded-fetch";
import { createLegacySseBridge, UPSTREAM_CLOSED, type LegacySseBridge } from "@/lib/upstream/legacy-sse-bridge";
import { LEGACY_TOOLS, startLegacySseServer, type LegacySseServer } from "../support/legacy-sse-server";
import { startServerEverything, type RunningEverything } from "../support/server-everything";

// The bridge against real legacy HTTP+SSE servers (the SDK's SSEServerTransport, and server-everything in `sse`
// mode), driven by the SDK's Streamable HTTP client: to it, the legacy server must look like a Streamable HTTP one.

let legacy: LegacySseServer;
let everything: RunningEverything;
const guarded = createGuardedFetch({
  networks: "loopback",
  maxResponseBytes: 64 * 1024 * 1024,
  budget: "per-response",
});
const closers: (() => Promise<unknown>)[] = [];

/** A bridge over the guarded fetch, sending `token` to the legacy server's origin only. */
function bridgeFor(origin: string, options: Partial<Parameters<typeof createLegacySseBridge>[0]> = {}): LegacySseBridge {
  const credentialed = createGuardedFetch({
    networks: "loopback",
    maxResponseBytes: 64 * 1024 * 1024,
    budget: "per-response",
    credentialOrigin: origin,
    credentialHeaders: { authorization: "Bearer legacy-s3cret" },
  });
  const bridge = createLegacySseBridge({ fetch: credentialed.fetch, ...options });
  // Closed in reverse order: the bridge (its streams) before the connection pool, which waits for open requests.
  closers.push(() => credentialed.close(), () => bridge.close());
  return bridge;
}

async function connect(url: string, bridge: LegacySseBridge, sampling?: (question: string) => string): Promise<Client> {
  const client = new Client({ name: "bridge-test", version: "1.0.0" }, { capabilities: sampling ? { sampling: {} } : {} });
  if (sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      const first = request.params.messages[0]?.content;
      const question = first && "text" in first ? String(first.text) : "";
      return { role: "assistant", model: "test-model", content: { type: "text", text: sampling(question) } };
    });
  }
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: bridge.fetch }));
  closers.push(() => client.close());
  return client;
}

const initialize = (id = 1) => JSON.stringify({
  jsonrpc: "2.0", id, method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});
const post = (bridge: LegacySseBridge, url: string, body: string, session?: string) =>
  bridge.fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...(session ? { "mcp-session-id": session } : {}) },
    body,
  });
/** Reads an SSE response to its end and returns the JSON messages it carried. */
async function messagesOf(response: Response): Promise<{ id?: unknown; method?: string; result?: unknown; error?: { code: number; message: string } }[]> {
  const text = await response.text();
  return text.split("\n").filter((l) => l.startsWith("data:")).map((l) => JSON.parse(l.slice(5)));
}
async function until(condition: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
/** A raw session: initialize, then notifications/initialized. */
async function rawSession(bridge: LegacySseBridge, url: string): Promise<string> {
  const response = await post(bridge, url, initialize());
  expect(response.status).toBe(200);
  const session = response.headers.get("mcp-session-id")!;
  // The legacy server's own answer, through the bridge: the version asked for, and its name.
  expect((await messagesOf(response))[0]?.result).toMatchObject({ protocolVersion: "2025-06-18", serverInfo: { name: "portcullis-legacy-sse-server" } });
  expect((await post(bridge, url, JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }), session)).status).toBe(202);
  return session;
}

beforeAll(async () => {
  [legacy, everything] = await Promise.all([startLegacySseServer({ token: "legacy-s3cret" }), startServerEverything("sse")]);
}, 30_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  await guarded.close();
  await Promise.all([legacy?.close(), everything?.stop()]);
});

describe("the legacy SSE bridge, seen by a Streamable HTTP client", () => {
  it("initializes, lists and calls tools, sending the server's credentials on the stream and on every POST", async () => {
    const bridge = bridgeFor(legacy.origin);
    const client = await connect(legacy.url, bridge);
    expect(client.getServerVersion()?.name).toBe("portcullis-legacy-sse-server");
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("delete_file");
    const result = await client.callTool({ name: "list_files", arguments: { path: "/tmp" } });
    expect(result.content).toEqual([{ type: "text", text: "called list_files" }]);
    expect(legacy.seenAuthorization.length).toBeGreaterThan(3);
    expect(legacy.seenAuthorization.every((h) => h === "Bearer legacy-s3cret")).toBe(true);
    expect(bridge.size).toBe(1);
  });

  it("streams progress notifications while the call runs, each to the POST that asked", async () => {
    const client = await connect(legacy.url, bridgeFor(legacy.origin));
    const started = Date.now();
    const progressAt: number[] = [];
    const [slow, quick] = await Promise.all([
      client.callTool({ name: "count_slowly", arguments: { steps: 4, stepMs: 150 } }, undefined, { onprogress: () => progressAt.push(Date.now() - started) }),
      client.callTool({ name: "list_files", arguments: {} }),
    ]);
    const doneAt = Date.now() - started;
    expect(slow.content).toEqual([{ type: "text", text: "counted to 4" }]);
    expect(quick.content).toEqual([{ type: "text", text: "called list_files" }]);
    expect(progressAt).toHaveLength(4);
    expect(progressAt[0]).toBeLessThan(doneAt - 300);
  });

  it("carries a server's sampling request to the client and its answer back", async () => {
    const client = await connect(legacy.url, bridgeFor(legacy.origin), (q) => `an answer to "${q}"`);
    const result = await client.callTool({ name: "ask_model", arguments: { question: "what is 2+2?" } });
    expect(result.content).toEqual([{ type: "text", text: 'the model said: an answer to "what is 2+2?"' }]);
  });

  it("works with server-everything in sse mode: progress and sampling", async () => {
    const client = await connect(everything.url, bridgeFor(new URL(everything.url).origin), () => "sampled by the test");
    const progress: number[] = [];
    const long = await client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 0.4, steps: 2 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(JSON.stringify(long.content)).toContain("Long running operation completed");
    expect(progress).toEqual([1, 2]);
    const sampled = await client.callTool({ name: "trigger-sampling-request", arguments: { prompt: "hello", maxTokens: 10 } });
    expect(JSON.stringify(sampled.content)).toContain("sampled by the test");
  });
});

describe("the legacy SSE bridge's HTTP rules and limits", () => {
  it("answers a notification-only POST with 202, and refuses GETs without a session, unknown sessions, and a second GET", async () => {
    const bridge = bridgeFor(legacy.origin);
    const session = await rawSession(bridge, legacy.url);
    expect((await bridge.fetch(legacy.url, { method: "GET" })).status).toBe(400);
    expect((await bridge.fetch(legacy.url, { method: "GET", headers: { "mcp-session-id": "nope" } })).status).toBe(404);
    expect((await post(bridge, legacy.url, JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }), "nope")).status).toBe(404);
    expect((await post(bridge, legacy.url, JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }))).status).toBe(400);
    const stream = await bridge.fetch(legacy.url, { method: "GET", headers: { "mcp-session-id": session } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toBe("text/event-stream");
    expect((await bridge.fetch(legacy.url, { method: "GET", headers: { "mcp-session-id": session } })).status).toBe(409);
    await stream.body?.cancel();
    const again = await bridge.fetch(legacy.url, { method: "GET", headers: { "mcp-session-id": session } });
    expect(again.status).toBe(200); // the cancelled stream released its place
    await again.body?.cancel();
  });

  it("refuses a message endpoint on another origin, and posts nothing there", async () => {
    const bridge = bridgeFor(legacy.origin);
    const posts = legacy.posts();
    const streams = legacy.openStreams();
    const response = await post(bridge, `${legacy.origin}/sse-foreign`, initialize(7));
    expect(response.status).toBe(502);
    const body = (await response.json()) as { id: number; error: { code: number; message: string } };
    expect(body.id).toBe(7);
    expect(body.error.message).toMatch(/another origin \(http:\/\/localhost:\d+\)/);
    expect(legacy.posts()).toBe(posts);
    expect(bridge.size).toBe(0);
    await until(() => legacy.openStreams() === streams); // its stream was closed
  });

  it("gives up on a server that never announces its endpoint", async () => {
    const bridge = bridgeFor(legacy.origin, { endpointTimeoutMs: 300 });
    const response = await post(bridge, `${legacy.origin}/sse-silent`, initialize());
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/did not announce its message endpoint within/);
    expect(bridge.size).toBe(0);
  });

  it("names the credentials when the server refuses the stream", async () => {
    const bridge = createLegacySseBridge({ fetch: guarded.fetch }); // no credentials
    closers.push(() => bridge.close());
    const response = await post(bridge, legacy.url, initialize());
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/answered HTTP 401.*check the server's credentials/);
  });

  it("answers waiting requests with -32603 when the upstream stream ends, and forgets the session", async () => {
    const bridge = bridgeFor(legacy.origin);
    const session = await rawSession(bridge, legacy.url);
    const call = await post(bridge, legacy.url, JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "wait_forever", arguments: {} } }), session);
    expect(call.status).toBe(200);
    const messages = messagesOf(call);
    await new Promise((r) => setTimeout(r, 100));
    legacy.dropStreams();
    expect(await messages).toEqual([{ jsonrpc: "2.0", id: 9, error: { code: -32603, message: UPSTREAM_CLOSED } }]);
    expect(bridge.size).toBe(0);
    expect((await post(bridge, legacy.url, JSON.stringify({ jsonrpc: "2.0", id: 10, method: "tools/list" }), session)).status).toBe(404);
  });

  it("ends the stream of a request the client cancels (a cancelled request is never answered)", async () => {
    const bridge = bridgeFor(legacy.origin);
    const session = await rawSession(bridge, legacy.url);
    const call = await post(bridge, legacy.url, JSON.stringify({ jsonrpc: "2.0", id: 11, method: "tools/call", params: { name: "wait_forever", arguments: {} } }), session);
    const messages = messagesOf(call);
    const cancel = await post(bridge, legacy.url, JSON.stringify({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 11 } }), session);
    expect(cancel.status).toBe(202);
    expect(await messages).toEqual([]);
    expect(bridge.size).toBe(1); // the session goes on
  });

  it("closes the upstream stream on DELETE", async () => {
    const bridge = bridgeFor(legacy.origin);
    const before = legacy.openStreams();
    const session = await rawSession(bridge, legacy.url);
    expect(legacy.openStreams()).toBe(before + 1);
    const deleted = await bridge.fetch(legacy.url, { method: "DELETE", headers: { "mcp-session-id": session } });
    expect(deleted.status).toBe(200);
    await until(() => legacy.openStreams() === before);
    expect(bridge.size).toBe(0);
  });

  it("closes an idle session, but not one with a stream open", async () => {
    const bridge = bridgeFor(legacy.origin, { idleMs: 400 });
    const before = legacy.openStreams();
    const idle = await rawSession(bridge, legacy.url);
    const busy = await rawSession(bridge, legacy.url);
    const listening = await bridge.fetch(legacy.url, { method: "GET", headers: { "mcp-session-id": busy } });
    await until(() => bridge.size === 1);
    await until(() => legacy.openStreams() === before + 1);
    expect((await post(bridge, legacy.url, JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/list" }), idle)).status).toBe(404);
    const list = await post(bridge, legacy.url, JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/list" }), busy);
    expect((await messagesOf(list))[0]?.result).toMatchObject({ tools: LEGACY_TOOLS.map((tool) => expect.objectContaining({ name: tool.name })) });
    await listening.body?.cancel();
    await until(() => bridge.size === 0);
  });

  it("cuts off a client that stops reading its stream instead of buffering without bound", async () => {
    const bridge = bridgeFor(legacy.origin, { maxUnreadBytes: 400 });
    const session = await rawSession(bridge, legacy.url);
    const call = await post(
      bridge,
      legacy.url,
      JSON.stringify({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "count_slowly", arguments: { steps: 8, stepMs: 10 }, _meta: { progressToken: "p" } } }),
      session,
    );
    await new Promise((r) => setTimeout(r, 400)); // 8 progress events (~120 bytes each) arrive unread
    await expect(call.text()).rejects.toThrow();
    // The session itself still works.
    const list = await post(bridge, legacy.url, JSON.stringify({ jsonrpc: "2.0", id: 5, method: "tools/list" }), session);
    expect((await messagesOf(list))[0]?.id).toBe(5);
  });
});
