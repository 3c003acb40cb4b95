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
    const url = new URL(String(input));
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    if (options.credentialHeaders && url.origin === options.credentialOrigin) {
      for (const [name, value] of Object.entries(options.credentialHeaders)) headers[name.toLowerCase()] = value;
    }
    const answer = await agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: (init.method ?? "GET") as "GET",
      headers,
      body: typeof init.body === "string" ? init.body : undefined,
      signal: init.signal ?? undefined,
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
    }
    if (answer.statusCode >= 300 && answer.statusCode < 400 && responseHeaders.has("location")) {
      answer.body.destroy();
      return guardedFetch(input, init);
    }
    const status = answer.statusCode;
    if (status === 204 || status === 304 || (init.method ?? "GET") === "HEAD") {
      answer.body.destroy();
      return new Response(null, { status, headers: responseHeaders });
    }
    if ((responseHeaders.get("content-type") ?? "").includes("text/event-stream")) {
      return meter(new Response(Readable.toWeb(answer.body) as ReadableStream<Uint8Array>, { status, headers: responseHeaders }));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of answer.body as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      used += chunk.byteLength;
      if (size > options.maxResponseBytes || (options.budget !== "per-response" && used > options.maxResponseBytes)) {
        answer.body.destroy();
        const error = new UpstreamTooLargeError(`The server sent more than ${Math.round(options.maxResponseBytes / 1024 / 1024)} MB.`);
        options.onTooLarge?.(error);
        throw error;
      }
      chunks.push(chunk);
    }
    // Kept as bytes (not a stream) for the gateway's writer: lib/http/buffered-response.ts.
    return new BufferedResponse(status === 202 && size === 0 ? null : Buffer.concat(chunks, size), { status, headers: responseHeaders });
  };

  return { fetch: guardedFetch, requestFetch, close: () => agent.close(), bytesRead: () => used };
}

async function resolveAllowed(host: string, networks: UpstreamNetworks): Promise<string> {
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  const own = ownAddresses();
  const allowed = addresses.find((address) => isAddressAllowed(address, networks, own));
  if (!allowed) throw new UpstreamBlockedError(blockedAddressMessage(host, addresses[0] ?? host, networks, own));
  return allowed;
}
