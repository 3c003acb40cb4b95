import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import { createGatewayHandler } from "@/lib/gateway/handler";
import { gatewayListener } from "../support/gateway-mount";
import { eventTooLargeMessage, MAX_EVENT_LENGTH } from "@/lib/gateway/sse-rewriter";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import { createGrant } from "@/lib/grants/grants";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import { registerServer } from "@/lib/servers/register-server";

// An upstream whose event streams end lines with a bare CR (or CRLF) must get its tools/list answer filtered like any
// other: the hidden tool, and its description (read by models as instructions), never reach the client.

const HIDDEN_MARKER = "hidden-tool-description-marker";
const TOOLS = [
  { name: "visible_tool", description: "Reads a thing.", inputSchema: { type: "object" } },
  { name: "hidden_tool", description: `Deletes everything. ${HIDDEN_MARKER}`, inputSchema: { type: "object" } },
];

/** A stateless MCP server written on node:http, so the bytes of its event streams are ours to choose. */
interface RawUpstream {
  url: string;
  lineEnd: string;
  /** Written after the last event: a comment, as servers that send keep-alives do, or nothing. */
  trailer: string;
  /** Characters added to the hidden tool's description in tools/list answers. */
  padding: number;
  /** Answer every request with a tools/list result (an upstream smuggling one onto another request's answer). */
  listEverywhere: boolean;
  /** Answer with application/json instead of an event stream; `escapeKey` spells the "tools" key with an escape. */
  json: boolean;
  escapeKey: boolean;
  close(): Promise<void>;
}

let upstream: HttpServer;
let gateway: HttpServer;
let raw: RawUpstream;
let gatewayUrl: string;
let key: string;

function answerOf(message: { id?: unknown; method?: string }, padding: number): unknown {
  if (message.method === "initialize") {
    return { protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "raw-sse", version: "1.0.0" } };
  }
  if (message.method === "tools/list" || raw.listEverywhere) {
    return { tools: padding === 0 ? TOOLS : [TOOLS[0], { ...TOOLS[1], description: TOOLS[1]!.description + " ".repeat(padding) }] };
  }
  return {};
}

async function startRawUpstream(): Promise<RawUpstream> {
  const state: RawUpstream = { url: "", lineEnd: "\n", trailer: "", padding: 0, listEverywhere: false, json: false, escapeKey: false, close: async () => {} };
  upstream = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "GET" && state.listEverywhere) {
      // A resumed GET stream replaying a tools/list answer.
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(`id: 1\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: 99, result: { tools: TOOLS } })}\n\n`);
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    let body = "";
    for await (const chunk of req) body += String(chunk);
    const message = JSON.parse(body) as { id?: unknown; method?: string };
    if (message.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    const end = state.lineEnd;
    let answer = JSON.stringify({ jsonrpc: "2.0", id: message.id, result: answerOf(message, state.padding) });
    if (state.escapeKey) answer = answer.replace('"tools"', '"\\u0074ools"');
    if (state.json) {
      res.writeHead(200, { "content-type": "application/json" }).end(answer);
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.end(`event: message${end}data: ${answer}${end}${end}${state.trailer}`);
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/mcp`;
  return state;
}

beforeAll(async () => {
  const account = await signUp({ email: `line-ends-${randomUUID()}@example.com`, password: "a long test password" });
  const caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" as const };
  raw = await startRawUpstream();
  const serverId = (await registerServer(caller, { name: "raw-sse", url: raw.url, transport: "streamable_http" })).id;
  await savePolicyVersion(caller, serverId, {
    text: JSON.stringify({ version: "1", default: "deny", tools: { visible_tool: {} } }),
    message: "only visible_tool",
  });
  key = (await createGrant(caller, { name: "line-ends", serverIds: [serverId] })).key;
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

describe.each([
  ["a bare CR", "\r"],
  ["CRLF", "\r\n"],
  ["LF", "\n"],
])("an upstream ending its event-stream lines with %s", (_name, lineEnd) => {
  it.each([
    ["followed by a comment", `: end of stream${lineEnd}`],
    ["ending right after the event", ""],
  ])("has its tools/list filtered for the SDK client (%s)", async (_case, trailer) => {
    raw.lineEnd = lineEnd;
    raw.trailer = trailer;
    const client = new Client({ name: "line-ends", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(gatewayUrl), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(["visible_tool"]);
    } finally {
      await client.close();
    }
  });

  it("never sends the hidden tool's bytes to the client", async () => {
    raw.lineEnd = lineEnd;
    raw.trailer = `: end of stream${lineEnd}`;
    const response = await fetch(gatewayUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${key}`,
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/list", params: {} }),
    });
    const text = await response.text();
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(text).toContain("visible_tool");
    expect(text).not.toContain("hidden_tool");
    expect(text).not.toContain(HIDDEN_MARKER);
    // Re-written with LF line ends, whatever the upstream used.
    expect(text).not.toContain("\r");
  });
});

it("answers a tools/list whose event is over the gateway's bound with an error, never with the unchecked event", async () => {
  raw.lineEnd = "\r";
  raw.trailer = "";
  raw.padding = MAX_EVENT_LENGTH;
  const client = new Client({ name: "line-ends", version: "1.0.0" });
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(gatewayUrl), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    await expect(client.listTools()).rejects.toThrow(eventTooLargeMessage(MAX_EVENT_LENGTH));
  } finally {
    raw.padding = 0;
    await client.close();
  }
});

describe("a tools/list result the upstream sends where the client did not ask for one", () => {
  const post = (body: unknown) =>
    fetch(gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${key}`, "mcp-protocol-version": "2025-06-18" },
      body: JSON.stringify(body),
    });

  it.each([
    ["an event stream", { json: false, escapeKey: false }],
    ["a JSON answer", { json: true, escapeKey: false }],
    ["a JSON answer spelling the key with an escape", { json: true, escapeKey: true }],
  ])("is filtered when it answers another request, in %s", async (_name, mode) => {
    Object.assign(raw, { lineEnd: "\n", trailer: "", listEverywhere: true, ...mode });
    try {
      // A client matches answers by id: one with a tools array would be taken as the answer to its tools/list.
      const text = await (await post({ jsonrpc: "2.0", id: 8, method: "ping" })).text();
      expect(text).toContain("visible_tool");
      expect(text).not.toContain("hidden_tool");
      expect(text).not.toContain(HIDDEN_MARKER);
    } finally {
      Object.assign(raw, { listEverywhere: false, json: false, escapeKey: false });
    }
  });

  it("is filtered on a GET stream (a resumed stream replaying an answer)", async () => {
    raw.listEverywhere = true;
    try {
      const response = await fetch(gatewayUrl, { headers: { accept: "text/event-stream", authorization: `Bearer ${key}`, "last-event-id": "0" } });
      const text = await response.text();
      expect(text).toContain("visible_tool");
      expect(text).not.toContain("hidden_tool");
    } finally {
      raw.listEverywhere = false;
    }
  });
});
