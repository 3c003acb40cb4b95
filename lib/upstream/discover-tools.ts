import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { UpstreamNetworks } from "@/lib/upstream/address-policy";
import { createGuardedFetch } from "@/lib/upstream/guarded-fetch";
import { DeadlineError, toUpstreamError, UpstreamError } from "@/lib/upstream/upstream-error";
import { APP_VERSION } from "@/lib/version";

// Connects to an upstream MCP server with the official SDK client, initializes, and collects every page of
// tools/list, within a time limit, a byte budget and a page limit.

export type TransportKind = "streamable_http" | "sse";

export interface DiscoverOptions {
  url: string;
  transport: "auto" | TransportKind;
  headers?: Record<string, string>;
  networks: UpstreamNetworks;
  timeoutMs?: number;
  maxResponseBytes?: number;
  maxTools?: number;
}

export interface DiscoveredServer {
  transport: TransportKind;
  serverInfo: { name?: string; version?: string; title?: string } | null;
  instructions: string | null;
  tools: Record<string, unknown>[];
  /** The protocol version agreed at initialize. */
  protocolVersion: string | null;
}

/** The client capabilities discovery declares (see discoverWith). */
export const DISCOVERY_CAPABILITIES = { sampling: {}, elicitation: { form: {}, url: {} }, roots: {} };

export const DISCOVERY_LIMITS = { timeoutMs: 20_000, maxResponseBytes: 10 * 1024 * 1024, maxTools: 5_000, maxPages: 200 };

export async function discoverTools(options: DiscoverOptions): Promise<DiscoveredServer> {
  const url = new URL(options.url);
  const kinds: TransportKind[] = options.transport === "auto" ? ["streamable_http", "sse"] : [options.transport];
  let firstError: UpstreamError | undefined;
  for (const kind of kinds) {
    try {
      return await discoverWith(kind, url, options);
    } catch (error) {
      const upstreamError = toUpstreamError(error, url, Math.round((options.timeoutMs ?? DISCOVERY_LIMITS.timeoutMs) / 1000));
      firstError ??= upstreamError;
      if (!upstreamError.tryOtherTransport) throw upstreamError;
    }
  }
  throw firstError!;
}

async function discoverWith(kind: TransportKind, url: URL, options: DiscoverOptions): Promise<DiscoveredServer> {
  const timeoutMs = options.timeoutMs ?? DISCOVERY_LIMITS.timeoutMs;
  const maxTools = options.maxTools ?? DISCOVERY_LIMITS.maxTools;
  let tooLarge: (error: Error) => void = () => {};
  const budget = new Promise<never>((_, reject) => (tooLarge = reject));
  budget.catch(() => {});
  const guarded = createGuardedFetch({
    onTooLarge: (error) => tooLarge(error),
    networks: options.networks,
    maxResponseBytes: options.maxResponseBytes ?? DISCOVERY_LIMITS.maxResponseBytes,
    credentialOrigin: url.origin,
    credentialHeaders: options.headers,
  });
  const transport: Transport =
    kind === "streamable_http"
      ? new StreamableHTTPClientTransport(url, { fetch: guarded.fetch })
      : new SSEClientTransport(url, { fetch: guarded.fetch });
  let protocolVersion: string | null = null;
  const setProtocolVersion = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version) => {
    protocolVersion = version;
    setProtocolVersion?.(version);
  };
  // Servers may list some tools only to clients that can serve them (server-everything's sampling and elicitation
  // tools): declare what agents commonly declare, so every tool an agent may see is stored, classified and callable.
  // Discovery never calls a tool, so it is never asked to sample or elicit; a `roots/list` is answered "not found".
  const client = new Client({ name: "portcullis", version: APP_VERSION }, { capabilities: DISCOVERY_CAPABILITIES });
  // Errors the transport reports outside a request (a broken stream) must not become unhandled rejections.
  client.onerror = () => {};

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`deadline of ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([
      (async () => {
        await client.connect(transport, { timeout: timeoutMs });
        const tools: Record<string, unknown>[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < DISCOVERY_LIMITS.maxPages; page++) {
          const result = await client.listTools(cursor ? { cursor } : {}, { timeout: timeoutMs });
          tools.push(...(result.tools as Record<string, unknown>[]));
          if (tools.length > maxTools) {
            throw new UpstreamError("upstream_too_large", `The server at ${url.href} lists more than ${maxTools} tools; Portcullis supports up to ${maxTools} per server.`);
          }
          cursor = result.nextCursor;
          if (!cursor) break;
          if (page === DISCOVERY_LIMITS.maxPages - 1) {
            throw new UpstreamError("upstream_too_large", `The server at ${url.href} kept returning more pages of tools after ${DISCOVERY_LIMITS.maxPages}; Portcullis stops there.`);
          }
        }
        const info = client.getServerVersion();
        return {
          transport: kind,
          serverInfo: info ? { name: info.name, version: info.version, ...(info.title ? { title: info.title } : {}) } : null,
          instructions: client.getInstructions() ?? null,
          tools,
          protocolVersion,
        };
      })(),
      deadline,
      budget,
    ]);
  } finally {
    clearTimeout(timer);
    await Promise.race([client.close().catch(() => {}), new Promise((r) => setTimeout(r, 2_000))]);
    await guarded.close().catch(() => {});
  }
}
