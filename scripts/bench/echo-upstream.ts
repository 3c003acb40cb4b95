// The upstream of `npm run bench:gateway`: a small MCP server over Streamable HTTP (JSON answers, one session per
// initialize) with one tool, `echo`. It is written on node:http so the benchmark measures the gateway, not the
// upstream: the SDK's server spends more per call than the gateway's budget. Run as a child process:
// PORT=0 tsx scripts/bench/echo-upstream.ts prints `listening <port>`.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";

const TOOLS = [
  {
    name: "echo",
    description: "Returns its message.",
    inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
    annotations: { readOnlyHint: true },
  },
];

type Message = { jsonrpc: "2.0"; id?: string | number; method?: string; params?: Record<string, unknown> };

function answer(message: Message): unknown {
  switch (message.method) {
    case "initialize":
      return {
        protocolVersion: typeof message.params?.protocolVersion === "string" ? message.params.protocolVersion : "2025-06-18",
        capabilities: { tools: {} },
        serverInfo: { name: "bench-echo", version: "1.0.0" },
      };
    case "tools/list":
      return { tools: TOOLS };
    case "tools/call": {
      const args = (message.params?.arguments ?? {}) as { message?: unknown };
      return { content: [{ type: "text", text: String(args.message ?? "") }] };
    }
    case "ping":
      return {};
    default:
      return undefined;
  }
}

const server = createServer((req, res) => {
  if (req.method === "DELETE") {
    res.writeHead(200).end();
    return;
  }
  if (req.method !== "POST") {
    res.writeHead(405, { allow: "POST, DELETE" }).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    let message: Message;
    try {
      message = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Message;
    } catch {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } }));
      return;
    }
    if (message.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (message.method === "initialize") headers["mcp-session-id"] = randomUUID();
    const result = answer(message);
    const body =
      result === undefined
        ? { jsonrpc: "2.0", id: message.id, error: { code: -32601, message: `Method not found: ${message.method}` } }
        : { jsonrpc: "2.0", id: message.id, result };
    res.writeHead(200, headers).end(JSON.stringify(body));
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : ""}`);
});
process.on("SIGTERM", () => process.exit(0));
