import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createMcpHandler, Server, type Tool } from "@modelcontextprotocol/server";

// A real MCP server of the 2.x SDK line (@modelcontextprotocol/server): the stateless 2026-07-28 revision for
// clients that speak it (server/discover, a `_meta` envelope on every request), and 2025 traffic served statelessly
// for the others (and for registration, which uses the 1.x client). On 127.0.0.1, endpoint /mcp.

export interface V2McpServer {
  url: string;
  /** Every tools/call the server answered, in order. */
  calls: { name: string; arguments: Record<string, unknown> | undefined }[];
  close(): Promise<void>;
}

export async function startV2McpServer(tools: Tool[]): Promise<V2McpServer> {
  const calls: V2McpServer["calls"] = [];
  const factory = () => {
    const server = new Server({ name: "portcullis-v2-test-server", version: "2.0.0" }, { capabilities: { tools: {} } });
    server.setRequestHandler("tools/list", async () => ({ tools }));
    server.setRequestHandler("tools/call", async (request) => {
      calls.push({ name: request.params.name, arguments: request.params.arguments });
      return { content: [{ type: "text", text: `called ${request.params.name}` }] };
    });
    return server;
  };
  const handler = createMcpHandler(factory);
  const http = createServer((req, res) => void serve(handler.fetch, req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    close: async () => {
      await handler.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

/** node:http in front of the SDK's web-standard handler (the SDK's own adapter is another package). */
async function serve(fetch: (request: Request) => Promise<Response>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  const response = await fetch(
    new Request(`http://127.0.0.1${req.url ?? "/"}`, { method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined, signal: controller.signal }),
  );
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (response.body) {
    const reader = response.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) res.write(read.value);
  }
  res.end();
}
