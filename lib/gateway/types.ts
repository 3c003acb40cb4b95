// The types the gateway's parts share: the handler's dependencies and request view, what a lookup answers (server,
// grant, session), and the session store. Kept apart from the code so the handler, lookup.ts and sessions.ts all
// import them from here and none imports another.
import type { AdmitStore, Confirmation } from "@/lib/gateway/admit";
import type { AuditStore } from "@/lib/gateway/audit";
import type { CounterStore } from "@/lib/gateway/counter-store";
import type { GatewayApprovals } from "@/lib/gateway/held-call-stream";
import type { GatewayMetrics } from "@/lib/gateway/metrics";
import type { RefusedKeyCode } from "@/lib/gateway/refused-key";
import type { GatewayTracing } from "@/lib/gateway/tracing";
import type { ResolvedGrant } from "@/lib/grants/grants";
import type { CompiledPolicy } from "@/lib/policy/compile";
import type { FetchLike } from "@/lib/upstream/guarded-fetch";

/** What the gateway needs to know about a server for one request. */
export interface GatewayServer {
  id: string;
  workspaceId: string;
  url: string;
  /** The transport that worked at the last sync (`streamable_http`, `sse`), or null before any. */
  transport: string | null;
  /** The stored upstream credentials, encrypted (lib/servers/server-credentials.ts), or null. */
  credentials: string | null;
  /** The active policy (newest version), or the default-deny policy when none was saved. */
  policy: CompiledPolicy;
  policySaved: boolean;
  /** Stored tools by name -> status (`ok`, `needs_review`; removed tools are left out). */
  tools: ReadonlyMap<string, string>;
}

export interface GatewaySession {
  /** The grant's (and so the server's) workspace: with the id, the session's key. */
  workspaceId: string;
  grantId: string;
  serverId: string;
  /** The upstream's Mcp-Session-Id, or null for a stateless upstream. */
  upstreamSessionId: string | null;
  protocolVersion: string | null;
  /** Epoch ms of the last recorded use (recorded at most once per `touchEveryMs` per instance). */
  lastUsedAt: number;
}

export interface SessionStore {
  /** Stores a new session and returns its id (shown to the client once, in Mcp-Session-Id). */
  create(session: Omit<GatewaySession, "lastUsedAt">): Promise<string>;
  /** Records a use; cheap and fire-and-forget (failures are ignored: the session just idles out sooner). */
  touch(id: string, session: GatewaySession): void;
  delete(workspaceId: string, id: string): Promise<void>;
  /** Deletes sessions unused since `before` (epoch ms); returns how many. */
  deleteIdle(before: number): Promise<number>;
}

/** A key refused for a server; `grantId` only for a grant of the server's own workspace. */
export interface RefusedKey {
  grantId: string | null;
  code: RefusedKeyCode;
}

/**
 * Everything a request needs to be authorised, at once: the grant its key unlocks for this server (null when the key
 * is unknown, revoked, or not granted this server), the server with its active policy (null when it does not
 * exist), and the live session the request names (null when none, unknown or idle). Rejects when the database
 * cannot answer. A valid answer comes with its `confirmation`, which the request's admit statement checks; `cached`
 * says it was served from memory (it must then be confirmed before any other write: `{ fresh: true }` reads the
 * database).
 */
export type GatewayLookup = (
  key: string,
  serverId: string,
  sessionId: string | null,
  /**
   * `fresh`: read the database, not the lookup's memory. `resource`: the gateway URL the request came to, which an
   * OAuth access token must have been issued for; given for access tokens only (a grant key needs none).
   */
  options?: { fresh?: boolean; resource?: string },
) => Promise<{
  grant: ResolvedGrant | null;
  server: GatewayServer | null;
  session: GatewaySession | null;
  confirmation: Confirmation | null;
  cached?: boolean;
  /** With a server but no valid grant: why the key is refused, for the server's trail (refused-key.ts). */
  refusedKey?: RefusedKey;
}>;

/**
 * What the handler reads of a request: a small view that node:http fills without building a web Request (its
 * Headers and body stream cost more per call than the gateway's decision).
 */
export interface GatewayRequest {
  method: string;
  /** The absolute URL, on the public origin (node-adapter.ts). */
  url: string;
  headers: { get(name: string): string | null };
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** The body as UTF-8 text, or null when it is larger than `limit` bytes (reading stops there). */
  text(limit: number): Promise<string | null>;
  /** True when `text` already reads the body once and answers every later call with the same promise. */
  readonly textOnce?: boolean;
  /**
   * Where a view offers them (node-adapter.ts), a cheaper way to hear of the client going away than `signal`, which
   * is then made only if something asks for it: `listener.handleEvent()` is called once when the client goes away
   * (at once when it has already gone), as the signal's abort event would; `offGone` forgets the listener.
   */
  onGone?(listener: ClientGoneListener): void;
  offGone?(listener: ClientGoneListener): void;
}

export interface ClientGoneListener {
  handleEvent(): void;
}

export interface GatewayDeps {
  lookup: GatewayLookup;
  sessions: SessionStore;
  /** Records the last use of a grant; failures are ignored (it is informational). */
  touchGrant?(grantId: string): Promise<void>;
  counters: CounterStore;
  audit: AuditStore;
  /** Confirms the lookup, counts and records a request in one statement before it is forwarded (admit.ts). */
  admit: AdmitStore;
  /** A fetch for the upstream hop that adds the server's stored credentials (never the client's). */
  upstreamFetch(server: GatewayServer): Promise<{ fetch: FetchLike; close(): Promise<void> }>;
  /** Browser origins allowed besides the gateway's own. */
  allowedOrigins?: readonly string[];
  /** When set, the request's host name (any port) must be one of these: DNS-rebinding protection (allowed-hosts.ts). */
  allowedHosts?: readonly string[];
  /** Methods forwarded besides MCP's own (PORTCULLIS_GATEWAY_EXTRA_METHODS, checked by parseExtraMethods). */
  extraMethods?: readonly string[];
  /** Holding `require_approval` calls for a person; without it such calls are refused ("needs approval"). */
  approvals?: GatewayApprovals;
  /** Counters and latencies for /metrics (lib/metrics); without it nothing is measured. */
  metrics?: GatewayMetrics;
  /** OpenTelemetry spans of each request (lib/tracing); without it no span is made. */
  tracing?: GatewayTracing;
  now?: () => number;
}
