// Mounts a web `(Request) => Response` handler on node:http: used by the tests and by a standalone gateway tier.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

/** `res`, when given, aborts the request's signal once the response closes (the client went away, or it is done). */
export function toWebRequest(req: IncomingMessage, base: string, res?: ServerResponse): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const controller = new AbortController();
  // Only a response that closed before it was finished means the client went away; aborting after every normal
  // response would cost an exception object and a round of listeners per request.
  res?.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", base), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    signal: controller.signal,
    // Required by Node's fetch for a streamed body.
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
}

/** Writes a web Response to node:http, chunk by chunk (flushed as it comes: SSE stays unbuffered). */
export async function writeWebResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  if (!response.body) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  if (!(headers["content-type"] ?? "").includes("text/event-stream")) {
    // A finite answer (JSON): headers and body in one write, with its length.
    let body: Buffer;
    try {
      body = Buffer.from(await response.arrayBuffer());
    } catch {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32603, message: "The upstream answer could not be read." } }));
      return;
    }
    headers["content-length"] = String(body.byteLength);
    delete headers["transfer-encoding"];
    res.writeHead(response.status, headers);
    res.end(body);
    return;
  }
  // An event stream's headers go out now: a client waits for them before it treats the stream as open, and the
  // first event may be long in coming.
  res.writeHead(response.status, headers);
  res.flushHeaders();
  const reader = response.body.getReader();
  res.once("close", () => void reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  } catch {
    // the client or the upstream went away
  } finally {
    res.end();
  }
}

const GATEWAY_PATH = /^\/gateway\/([^/?]+)\/mcp\/?(?:\?.*)?$/;

/** Whether a request target belongs to the gateway (and not to the console). */
export function isGatewayPath(url: string | undefined): boolean {
  return url !== undefined && url.startsWith("/gateway/");
}

/** A node:http listener for `handler`, whose path is `/gateway/<serverId>/mcp`. */
export function nodeGatewayListener(handler: (request: Request, serverId: string) => Promise<Response>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    // X-Forwarded-* survive only from trusted proxies (scripts/server.ts normalises them), so the request URL,
    // and with it the Origin check, is the public one behind a TLS-terminating proxy.
    const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.split(",")[0]?.trim();
    const host = first(req.headers["x-forwarded-host"]) ?? req.headers.host ?? "localhost";
    const proto = first(req.headers["x-forwarded-proto"]) === "https" ? "https" : "http";
    const match = GATEWAY_PATH.exec(req.url ?? "");
    if (!match?.[1]) {
      res.writeHead(404).end();
      return;
    }
    const serverId = decodeURIComponent(match[1]);
    handler(toWebRequest(req, `${proto}://${host}`, res), serverId)
      .then((response) => writeWebResponse(response, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32603, message: "Internal gateway error." } }));
      });
  };
}
