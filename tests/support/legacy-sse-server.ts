import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from "@modelcontextprotocol/sdk/types.js";

// A real legacy MCP server (the 2024-11-05 HTTP+SSE transport, the SDK's SSEServerTransport) on 127.0.0.1:
// GET /sse opens the event stream and announces `/message?sessionId=...`; POST /message takes one message (202).
// Other paths misbehave on purpose:
//   /sse-foreign  announces a message endpoint on another origin (http://localhost:<port>)
//   /sse-silent   opens an event stream and never announces an endpoint

export interface LegacySseServer {
  /** The SSE endpoint, http://127.0.0.1:<port>/sse. */
  url: string;
  origin: string;
  /** Authorization headers seen on GET /sse and POST /message. */
  seenAuthorization: string[];
  /** POST /message requests received. */
  posts(): number;
  /** Event streams open right now. */
  openStreams(): number;
  /** Ends every open event stream (cleanly), as a server restart would. */
  dropStreams(): void;
  close(): Promise<void>;
}

export const LEGACY_TOOLS: Tool[] = [
  { name: "list_files", description: "List the files in a directory.", inputSchema: { type: "object", properties: { path: { type: "string" } } }, annotations: { readOnlyHint: true } },
  { name: "delete_file", description: "Delete a file permanently.", inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] }, annotations: { destructiveHint: true } },
  { name: "count_slowly", description: "Count to `steps`, reporting progress at each step.", inputSchema: { type: "object", properties: { steps: { type: "number" }, stepMs: { type: "number" } } }, annotations: { readOnlyHint: true } },
  { name: "ask_model", description: "Ask the client's model a question (sampling).", inputSchema: { type: "object", properties: { question: { type: "string" } }, required: ["question"] } },
  { name: "wait_forever", description: "Never answers.", inputSchema: { type: "object", properties: {} }, annotations: { readOnlyHint: true } },
];

export async function startLegacySseServer(options: { token?: string } = {}): Promise<LegacySseServer> {
  const transports = new Map<string, SSEServerTransport>();
  const streams = new Set<ServerResponse>();
  const seenAuthorization: string[] = [];
  let posts = 0;

  function mcpServer(): Server {
    const server = new Server({ name: "portcullis-legacy-sse-server", version: "1.0.0" }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: LEGACY_TOOLS }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const args = (request.params.arguments ?? {}) as Record<string, unknown>;
      switch (request.params.name) {
        case "count_slowly": {
          const steps = Number(args.steps ?? 3);
          const token = request.params._meta?.progressToken;
          for (let i = 1; i <= steps; i++) {
            await new Promise((resolve) => setTimeout(resolve, Number(args.stepMs ?? 200)));
            if (token !== undefined) {
              await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: i, total: steps } });
            }
          }
          return { content: [{ type: "text", text: `counted to ${steps}` }] };
        }
        case "ask_model": {
          const answer = await server.createMessage({
            messages: [{ role: "user", content: { type: "text", text: String(args.question) } }],
            maxTokens: 50,
          });
          const text = answer.content.type === "text" ? answer.content.text : `(${answer.content.type})`;
          return { content: [{ type: "text", text: `the model said: ${text}` }] };
        }
        case "wait_forever":
          return new Promise(() => {});
        default:
          return { content: [{ type: "text", text: `called ${request.params.name}` }] };
      }
    });
    return server;
  }

  const authorized = (header: string | undefined) => {
    seenAuthorization.push(String(header ?? ""));
    return options.token === undefined || header === `Bearer ${options.token}`;
  };

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (req.method === "GET" && url.pathname === "/sse") {
      if (!authorized(req.headers.authorization)) {
        res.writeHead(401, { "www-authenticate": "Bearer" }).end("unauthorized");
        return;
      }
      const transport = new SSEServerTransport("/message", res);
      transports.set(transport.sessionId, transport);
      streams.add(res);
      res.on("close", () => {
        streams.delete(res);
        transports.delete(transport.sessionId);
      });
      void mcpServer().connect(transport);
      return;
    }
    if (req.method === "GET" && (url.pathname === "/sse-silent" || url.pathname === "/sse-foreign")) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      // The SDK's transport always announces a relative endpoint, so the foreign one is written by hand.
      const { port } = http.address() as AddressInfo;
      res.write(url.pathname === "/sse-foreign" ? `event: endpoint\ndata: http://localhost:${port}/message?sessionId=x\n\n` : ": no endpoint will follow\n\n");
      streams.add(res);
      res.on("close", () => streams.delete(res));
      return;
    }
    if (req.method === "POST" && url.pathname === "/message") {
      posts++;
      if (!authorized(req.headers.authorization)) {
        res.writeHead(401).end("unauthorized");
        return;
      }
      const transport = transports.get(url.searchParams.get("sessionId") ?? "");
      if (!transport) {
        res.writeHead(404).end("unknown session");
        return;
      }
      void transport.handlePostMessage(req, res).catch(() => {});
      return;
    }
    res.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/sse`,
    origin,
    seenAuthorization,
    posts: () => posts,
    openStreams: () => streams.size,
    dropStreams: () => {
      for (const res of streams) res.end();
    },
    close: async () => {
      for (const res of streams) res.destroy();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
