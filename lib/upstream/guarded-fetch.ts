import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { Readable } from "node:stream";
import { Agent, buildConnector, fetch as undiciFetch } from "undici";
import { BufferedResponse } from "@/lib/http/buffered-response";
import { blockedAddressMessage, isAddressAllowed, type UpstreamNetworks } from "@/lib/upstream/address-policy";
import { ownAddresses } from "@/lib/upstream/own-addresses";

// fetch for upstream MCP servers. Every connection, including each redirect hop, goes through a connector that
// resolves the host itself, checks the address against the operator's network policy, and connects to exactly
// that address, so a DNS answer that changes between check and use (rebinding) cannot slip through. Responses
// share a byte budget, so a server that streams without end is cut off.

export class UpstreamBlockedError extends Error {
  readonly code = "upstream_address_blocked";
}

export class UpstreamTooLargeError extends Error {
  readonly code = "upstream_too_large";
}

export interface GuardedFetchOptions {
  networks: UpstreamNetworks;
  /** Bytes responses may carry: all of them together, or each one (`budget: "per-response"`). */
  maxResponseBytes: number;
  /** "shared" (default) for one discovery; "per-response" for a long-lived fetch reused across requests. */
  budget?: "shared" | "per-response";
  connectTimeoutMs?: number;
  /** Credential headers are sent to the server's own origin only, never to a redirect elsewhere. */
  credentialOrigin?: string;
  credentialHeaders?: Record<string, string>;
  /** Called once when the byte budget is exceeded, so the caller can stop waiting for answers at once. */
  onTooLarge?: (error: UpstreamTooLargeError) => void;
}

export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

const MAX_REDIRECTS = 5;

export function createGuardedFetch(options: GuardedFetchOptions): {
  fetch: FetchLike;
  /** The same hop with undici's request API (see requestFetch below): for the gateway's per-call forwarding. */
  requestFetch: FetchLike;
  close: () => Promise<void>;
  bytesRead: () => number;
} {
  const base = buildConnector({ timeout: options.connectTimeoutMs ?? 10_000 });
  const agent = new Agent({
    connect: (connectOptions, callback) => {
      const host = connectOptions.hostname.replace(/^\[|\]$/g, "");
      resolveAllowed(host, options.networks).then(
        (address) =>
          base(
            { ...connectOptions, hostname: address, servername: connectOptions.servername ?? (isIP(host) ? undefined : host) },
            callback,
          ),
        (error: Error) => callback(error, null),
      );
    },
    headersTimeout: 30_000,
    bodyTimeout: 0, // SSE streams are long-lived; the caller's deadline bounds them
  });

  // One budget for the whole fetch (a discovery), or a fresh one per response (a long-lived, shared fetch).
  let used = 0;
  const meter = (response: Response): Response => {
    if (!response.body) return response;
    const budget = options.budget === "per-response" ? { used: 0 } : null;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          used += chunk.byteLength;
          if (budget) budget.used += chunk.byteLength;
          if ((budget ? budget.used : used) > options.maxResponseBytes) {
            const error = new UpstreamTooLargeError(`The server sent more than ${Math.round(options.maxResponseBytes / 1024 / 1024)} MB.`);
            options.onTooLarge?.(error);
            controller.error(error);
            return;
          }
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  };

  const guardedFetch: FetchLike = async (input, init = {}) => {
    let url = new URL(String(input));
    let method = init.method ?? "GET";
    let body = init.body;
    for (let hop = 0; ; hop++) {
      const headers = new Headers(init.headers);
      if (options.credentialHeaders && url.origin === options.credentialOrigin) {
        for (const [name, value] of Object.entries(options.credentialHeaders)) headers.set(name, value);
      }
      const response = (await undiciFetch(url, {
        ...(init as object),
        method,
        body: body as never,
        headers,
        redirect: "manual",
        dispatcher: agent,
      } as never)) as unknown as Response;
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return meter(response);
      await response.body?.cancel().catch(() => {});
      if (hop >= MAX_REDIRECTS) throw new Error(`The server redirected more than ${MAX_REDIRECTS} times.`);
      url = new URL(location, url);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`The server redirected to an unsupported URL (${url.protocol}).`);
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
      }
    }
  };

  /**
   * The same guarded hop through undici's request API instead of fetch, for the gateway's hot path: fetch builds a
   * Request, a fetch controller and web streams per call, which costs more than the whole gateway decision. A JSON
   * (or other finite) answer is read whole within the byte budget; an event stream is passed on as it comes. A
   * redirect is handed to the full fetch above, which follows it with the same checks.
   */
  const requestFetch: FetchLike = async (input, init = {}) => {
    const target = requestTarget(String(input));
    const headers = headerRecord(init.headers);
    if (options.credentialHeaders && target.origin === options.credentialOrigin) {
      for (const [name, value] of Object.entries(options.credentialHeaders)) headers[name.toLowerCase()] = value;
    }
    const answer = await agent.request({
      origin: target.origin,
      path: target.path,
      method: (init.method ?? "GET") as "GET",
      headers,
      body: typeof init.body === "string" ? init.body : undefined,
      signal: init.signal ?? undefined,
    });
    // The answer's headers as pairs, in the order received (repeated ones kept): the Response below is their only copy.
    const responseHeaders: [string, string][] = [];
    for (const name in answer.headers) {
      const value = answer.headers[name];
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) responseHeaders.push([name, v]);
      else responseHeaders.push([name, value]);
    }
    const status = answer.statusCode;
    if (status >= 300 && status < 400 && answer.headers.location !== undefined) {
      answer.body.destroy();
      return guardedFetch(input, init);
    }
    if (status === 204 || status === 304 || (init.method ?? "GET") === "HEAD") {
      answer.body.destroy();
      return new Response(null, { status, headers: responseHeaders });
    }
    const type = answer.headers["content-type"];
    if ((Array.isArray(type) ? type.join(", ") : (type ?? "")).includes("text/event-stream")) {
      return meter(new Response(Readable.toWeb(answer.body) as ReadableStream<Uint8Array>, { status, headers: responseHeaders }));
    }
    const body = await readWithin(answer.body);
    if (body === null) {
      const error = new UpstreamTooLargeError(`The server sent more than ${Math.round(options.maxResponseBytes / 1024 / 1024)} MB.`);
      options.onTooLarge?.(error);
      throw error;
    }
    // Kept as bytes (not a stream) for the gateway's writer: lib/http/buffered-response.ts.
    return new BufferedResponse(status === 202 && body.byteLength === 0 ? null : body, { status, headers: responseHeaders });
  };

  /**
   * A finite answer read whole, chunk by chunk from its events (an async iterator per answer cost more than the read
   * itself at saturation). Null once it passes the byte budget (its own, or the shared one); the rest is then dropped.
   */
  function readWithin(body: Readable): Promise<Buffer<ArrayBuffer> | null> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer<ArrayBuffer>[] = [];
      let size = 0;
      body.on("data", (chunk: Buffer<ArrayBuffer>) => {
        size += chunk.byteLength;
        used += chunk.byteLength;
        if (size > options.maxResponseBytes || (options.budget !== "per-response" && used > options.maxResponseBytes)) {
          body.destroy();
          resolve(null);
          return;
        }
        chunks.push(chunk);
      });
      body.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
      body.once("error", reject);
    });
  }
  return { fetch: guardedFetch, requestFetch, close: () => agent.close(), bytesRead: () => used };
}

/** The request's headers as undici takes them (lower-case names), without copying a plain record into a Headers first. */
function headerRecord(init: HeadersInit | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (init === undefined) return headers;
  if (init instanceof Headers || Array.isArray(init)) {
    (init instanceof Headers ? init : new Headers(init)).forEach((value, name) => (headers[name] = value));
    return headers;
  }
  for (const name in init) {
    const value = init[name];
    if (value === undefined) continue;
    const key = name.toLowerCase();
    // As Headers would combine a name given twice in different cases.
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  return headers;
}

/** A URL's origin and path, parsed once per distinct URL (each gateway's pool forwards to one). */
const targets = new Map<string, { origin: string; path: string }>();
function requestTarget(input: string): { origin: string; path: string } {
  let target = targets.get(input);
  if (target === undefined) {
    const url = new URL(input);
    target = { origin: url.origin, path: `${url.pathname}${url.search}` };
    if (targets.size >= 1000) targets.clear();
    targets.set(input, target);
  }
  return target;
}

async function resolveAllowed(host: string, networks: UpstreamNetworks): Promise<string> {
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  const own = ownAddresses();
  const allowed = addresses.find((address) => isAddressAllowed(address, networks, own));
  if (!allowed) throw new UpstreamBlockedError(blockedAddressMessage(host, addresses[0] ?? host, networks, own));
  return allowed;
}
