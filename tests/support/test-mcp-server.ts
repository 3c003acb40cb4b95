import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from "@modelcontextprotocol/sdk/types.js";

// A real MCP server for tests, written with the official SDK (stateless Streamable HTTP on 127.0.0.1). Its tool
// list is paginated and can be changed between syncs. Other paths misbehave on purpose:
//   /html     answers 200 with an HTML page        /hang     never answers
//   /garbage  answers 200 with truncated JSON
//   /endless  streams bytes without end            /redirect-metadata  redirects to a cloud metadata address
//   /private  requires `Authorization: Bearer <token>` for /mcp-like behaviour

export interface TestMcpServer {
  url: string;
  origin: string;
  tools: Tool[];
  pageSize: number;
  /** Authorization headers seen on the /private endpoint. */
  seenAuthorization: string[];
  /** Every tools/call the server answered, in order. */
  calls: { name: string; arguments: Record<string, unknown> | undefined }[];
  /** When set, a tools/call's text is what this returns (it runs while the gateway waits for the answer). */
  onCall?: (name: string) => Promise<string>;
  close(): Promise<void>;
}

export async function startTestMcpServer(options: { tools?: Tool[]; pageSize?: number; token?: string } = {}): Promise<TestMcpServer> {
  const state: TestMcpServer = {
    url: "",
    origin: "",
    tools: options.tools ?? defaultTools(),
    pageSize: options.pageSize ?? 10,
    seenAuthorization: [],
    calls: [],
    close: async () => {},
  };

  function mcpServer(): Server {
    const server = new Server({ name: "portcullis-test-server", version: "1.0.0" }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async (request) => {
      const start = Number(request.params?.cursor ?? 0);
      const page = state.tools.slice(start, start + state.pageSize);
      const next = start + state.pageSize < state.tools.length ? String(start + state.pageSize) : undefined;
      return { tools: page, ...(next ? { nextCursor: next } : {}) };
    });
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      state.calls.push({ name: request.params.name, arguments: request.params.arguments });
      const text = state.onCall ? await state.onCall(request.params.name) : `called ${request.params.name}`;
      return { content: [{ type: "text", text }] };
    });
    return server;
  }

  async function handleMcp(req: IncomingMessage, res: ServerResponse) {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    const server = mcpServer();
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  }

  const hanging = new Set<ServerResponse>();
  const http = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/mcp") return void handleMcp(req, res);
    if (path === "/private") {
      state.seenAuthorization.push(String(req.headers.authorization ?? ""));
      if (req.headers.authorization !== `Bearer ${options.token}`) {
        res.writeHead(401, { "content-type": "application/json", "www-authenticate": "Bearer" }).end('{"error":"unauthorized"}');
        return;
      }
      return void handleMcp(req, res);
    }
    if (path === "/html") {
      res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><html><body><h1>Welcome</h1></body></html>");
      return;
    }
    if (path === "/garbage") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"jsonrpc": "2.0", "result": {"protoc');
      return;
    }
    if (path === "/hang") {
      hanging.add(res);
      return;
    }
    if (path === "/endless") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const chunk = `: ${"x".repeat(64 * 1024)}\n\n`; // SSE comments: parsers skip them, bytes still flow
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {
          // keep writing until the socket pushes back
        }
        if (!res.destroyed) res.once("drain", pump);
      };
      pump();
      return;
    }
    if (path === "/redirect-metadata") {
      res.writeHead(307, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      return;
    }
    res.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  state.origin = `http://127.0.0.1:${port}`;
  state.url = `${state.origin}/mcp`;
  state.close = async () => {
    for (const res of hanging) res.destroy();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  };
  return state;
}

export function defaultTools(count = 25): Tool[] {
  const base: Tool[] = [
    { name: "list_files", description: "List the files in a directory.", inputSchema: { type: "object", properties: { path: { type: "string" } } }, annotations: { readOnlyHint: true } },
    { name: "delete_file", description: "Delete a file permanently.", inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] }, annotations: { destructiveHint: true } },
    { name: "run_command", description: "Run a shell command on the host.", inputSchema: { type: "object", properties: { command: { type: "string" } }, required: ["command"] } },
    { name: "send_email", description: "Send an email to a recipient.", inputSchema: { type: "object", properties: { to: { type: "string" }, subject: { type: "string" }, body: { type: "string" } } } },
    { name: "create_refund", description: "Refund a charge to the customer's card.", inputSchema: { type: "object", properties: { charge_id: { type: "string" }, amount: { type: "number" } } } },
  ];
  const tools = [...base];
  for (let i = tools.length; i < count; i++) {
    tools.push({ name: `get_record_${i}`, description: `Read record number ${i}.`, inputSchema: { type: "object", properties: { id: { type: "string" } } } });
  }
  return tools;
}
