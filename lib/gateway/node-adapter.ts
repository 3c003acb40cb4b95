// Mounts the gateway handler on node:http (scripts/server.ts and the tests): a light request view in, a web Response out.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ClientGoneListener, GatewayRequest } from "@/lib/gateway/types";
import { JSON_RPC_ERROR, jsonRpcError } from "@/lib/mcp/json-rpc";
import { isOAuthDiscoveryPath, oauthDiscoveryAnswer } from "@/lib/mcp/oauth-discovery";
import { takeBufferedBytes } from "@/lib/http/buffered-response";

/** The request as the handler reads it. `res`, when given, aborts its signal when the client goes away. */
export function toGatewayRequest(req: IncomingMessage, base: string, res?: ServerResponse): GatewayRequest {
  return new NodeGatewayRequest(req, new URL(req.url ?? "/", base).href, res);
}

/**
 * The view of one node:http request. A class rather than an object of closures: it is made for every call, and its
 * methods are shared (under tsx every closure made also pays for its name). Its body is read once, whoever asks.
 * Its AbortSignal is made only when something asks for it (making one took 6-8 µs on the loaded 2-core VM); the
 * forward stage hears of a hang-up through `onGone` instead.
 */
class NodeGatewayRequest implements GatewayRequest {
  readonly method: string;
  readonly headers: NodeHeaders;
  readonly textOnce = true;
  #body: Promise<string | null> | null = null;
  #controller: AbortController | null = null;
  #gone = false;
  #listeners: ClientGoneListener[] | null = null;

  constructor(
    private readonly req: IncomingMessage,
    readonly url: string,
    res: ServerResponse | undefined,
  ) {
    this.method = req.method ?? "GET";
    this.headers = new NodeHeaders(req.headers);
    // Only a response that closed before it was finished means the client went away; aborting after every normal
    // response would cost an exception object and a round of listeners per request.
    res?.once("close", () => {
      if (!res.writableFinished) this.#leave();
    });
  }

  get signal(): AbortSignal {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      if (this.#gone) this.#controller.abort();
    }
    return this.#controller.signal;
  }

  onGone(listener: ClientGoneListener): void {
    if (this.#gone) listener.handleEvent();
    else (this.#listeners ??= []).push(listener);
  }

  offGone(listener: ClientGoneListener): void {
    const at = this.#listeners?.indexOf(listener) ?? -1;
    if (at !== -1) this.#listeners!.splice(at, 1);
  }

  #leave(): void {
    if (this.#gone) return;
    this.#gone = true;
    // The signal's listeners first, then the others, each once (as the signal's `once` listeners are).
    this.#controller?.abort();
    const listeners = this.#listeners;
    this.#listeners = null;
    if (listeners) for (const listener of listeners) listener.handleEvent();
  }

  text(limit: number): Promise<string | null> {
    return (this.#body ??= readNodeBody(this.req, limit));
  }
}

/** Header lookup on node's parsed headers (lower-case names; repeated ones joined as Headers would). */
class NodeHeaders {
  constructor(private readonly raw: IncomingMessage["headers"]) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }
}

/** Reads a body up to `limit` bytes; past it, stops reading and answers null. */
function readNodeBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const declared = Number(req.headers["content-length"] ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        req.off("data", onData);
        req.resume(); // drain the rest without keeping it
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    // Most bodies come in one chunk: decoded where they are, not copied into a new buffer first.
    req.once("end", () => size <= limit && resolve((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString("utf8")));
    req.once("error", reject);
  });
}

/** Headers.forEach's callback, with the record to fill as `this`: one function for every answer, not one each. */
function copyHeader(this: Record<string, string>, value: string, name: string): void {
  this[name] = value;
}

/** Writes a web Response to node:http, chunk by chunk (flushed as it comes: SSE stays unbuffered). */
export async function writeWebResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach(copyHeader, headers);
  // Bytes already in memory (lib/http/buffered-response.ts): written as they are, in one write with their length.
  const bytes = takeBufferedBytes(response);
  if (bytes !== undefined) {
    if (response.status !== 204 && response.status !== 304) headers["content-length"] = String(bytes?.byteLength ?? 0);
    delete headers["transfer-encoding"];
    res.writeHead(response.status, headers);
    res.end(bytes ?? undefined);
    return;
  }
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

/**
 * Whether a request target belongs to the gateway (and not to the console): its endpoints, and the places where
 * clients look for OAuth and find no document (oauth-discovery.ts), which the gateway answers rather than the
 * console's 404 page. The authorization server's own documents and endpoints are the app's (Next.js routes).
 */
export function isGatewayPath(url: string | undefined): boolean {
  return url !== undefined && (url.startsWith("/gateway/") || isOAuthDiscoveryPath(pathOf(url)));
}

function pathOf(url: string): string {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

/** A path under /gateway/ that is no endpoint: a JSON answer saying what a gateway URL looks like. */
export const NO_ENDPOINT = JSON.stringify(
  jsonRpcError(null, JSON_RPC_ERROR.INVALID_REQUEST, "There is no gateway endpoint at this address: gateway URLs are /gateway/<server id>/mcp. Copy yours from the server's Connect section in the Portcullis console."),
);

const UNREADABLE_TARGET = JSON.stringify(
  jsonRpcError(null, JSON_RPC_ERROR.INVALID_REQUEST, "The request's path or Host header could not be read as a URL: check the gateway URL you were given."),
);

/** The first value of a header that may repeat or list several. */
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.split(",")[0]?.trim();

/** A node:http listener for `handler`, whose path is `/gateway/<serverId>/mcp`. */
export function nodeGatewayListener(handler: (request: GatewayRequest, serverId: string) => Promise<Response>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    // X-Forwarded-* survive only from trusted proxies (scripts/server.ts normalises them), so the request URL,
    // and with it the Origin check, is the public one behind a TLS-terminating proxy.
    const host = first(req.headers["x-forwarded-host"]) ?? req.headers.host ?? "localhost";
    const proto = first(req.headers["x-forwarded-proto"]) === "https" ? "https" : "http";
    const match = GATEWAY_PATH.exec(req.url ?? "");
    if (!match?.[1]) {
      if (isOAuthDiscoveryPath(pathOf(req.url ?? "/"))) {
        const answer = oauthDiscoveryAnswer(req.method ?? "GET");
        res.writeHead(answer.status, answer.headers).end(answer.body);
      } else {
        res.writeHead(404, { "content-type": "application/json" }).end(NO_ENDPOINT);
      }
      return;
    }
    // Anyone can send these bytes: a malformed escape in the path or an unparsable Host must be a 400, never an
    // exception thrown out of the listener (which would end the process, and every tenant's calls with it).
    let serverId: string;
    let request: GatewayRequest;
    try {
      serverId = decodeURIComponent(match[1]);
      request = toGatewayRequest(req, `${proto}://${host}`, res);
    } catch {
      res.writeHead(400, { "content-type": "application/json" }).end(UNREADABLE_TARGET);
      return;
    }
    void respond(handler, request, serverId, res);
  };
}

const INTERNAL_ERROR = JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32603, message: "Internal gateway error." } });

/** Runs the handler and writes its answer; anything thrown on the way is a 500, never an unhandled rejection. */
async function respond(handler: (request: GatewayRequest, serverId: string) => Promise<Response>, request: GatewayRequest, serverId: string, res: ServerResponse): Promise<void> {
  try {
    await writeWebResponse(await handler(request, serverId), res);
  } catch {
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(INTERNAL_ERROR);
  }
}
