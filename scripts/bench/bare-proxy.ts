// A reverse proxy that checks and records nothing, for `npm run bench:gateway`: the floor of any gateway on this
// machine. It reads the request, forwards it to the upstream over a keep-alive pool (undici's request API, as the
// gateway does) and writes the answer back. Whatever the gateway adds over it is enforcement and the audit trail;
// what it adds over direct calls is the extra HTTP hop and process. Run as a child process:
// PORT=0 UPSTREAM=http://127.0.0.1:<port> tsx scripts/bench/bare-proxy.ts prints `listening <port>`.
import { createServer } from "node:http";
import { Pool } from "undici";

const upstream = new Pool(process.env.UPSTREAM!, { connections: 256, keepAliveTimeout: 60_000 });
const PASSED = ["content-type", "accept", "mcp-session-id", "mcp-protocol-version"];

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const headers: Record<string, string> = {};
    for (const name of PASSED) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    upstream
      .request({ method: (req.method ?? "POST") as "POST", path: req.url ?? "/", headers, body: chunks.length ? Buffer.concat(chunks) : undefined })
      .then(async (answer) => {
        const body = Buffer.from(await answer.body.arrayBuffer());
        const out: Record<string, string> = { "content-length": String(body.byteLength) };
        for (const name of ["content-type", "mcp-session-id"]) {
          const value = answer.headers[name];
          if (typeof value === "string") out[name] = value;
        }
        res.writeHead(answer.statusCode, out).end(body);
      })
      .catch(() => res.writeHead(502).end());
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : ""}`);
});
