// The gateway endpoint: MCP Streamable HTTP (POST, GET, DELETE) for one upstream server, enforcing the server's active
// policy for one grant. `(request, serverId) => Response`, mounted on node:http by node-adapter.ts; README.md in this
// folder walks through a request.
import { randomUUID } from "node:crypto";
import type { HeldCallNotice } from "@/lib/approvals/webhook";
import type { AdmitRow, AdmitStore, Confirmation } from "@/lib/gateway/admit";
import type { AuditDecision, AuditStore, CallAudit } from "@/lib/gateway/audit";
import type { CounterStore } from "@/lib/gateway/counter-store";
import { argumentDigest } from "@/lib/gateway/argument-digest";
import { isDataError, sqlState } from "@/lib/gateway/batcher";
import { describeUnstorable, findUnstorable, formatJsonPath } from "@/lib/json/storable-text";
import { inspectBody, type InboundItem } from "@/lib/gateway/inspect-body";
import { JSON_RPC_ERROR, jsonRpcError, type JsonRpcId, type JsonRpcMessage, type JsonRpcRequest, type JsonRpcResponse } from "@/lib/gateway/json-rpc";
import { holdCallStream, type GatewayApprovals, type Hold } from "@/lib/gateway/hold";
import {
  approvalPendingRefusal,
  isHiddenByPolicy,
  needsReviewRefusal,
  refusalForDecision,
  refusalResponse,
  unavailableRefusal,
  unknownToolError,
  type Refusal,
} from "@/lib/gateway/refusal";
import { requestProtocolVersion } from "@/lib/gateway/protocol-version";
import { standardRequestHeaders } from "@/lib/gateway/standard-headers";
import { createRefusalBudget, describeRefusedRequest, REFUSED_KEY_REASONS, type RefusedKeyCode } from "@/lib/gateway/refused-key";
import { BufferedResponse, hasBody } from "@/lib/http/buffered-response";
import { filterToolsList } from "@/lib/gateway/tools-list";
import { sseRewriter } from "@/lib/gateway/sse-rewriter";
import { createEarlyEventStreams } from "@/lib/gateway/early-event-streams";
import type { GatewaySession, SessionStore } from "@/lib/gateway/sessions";
import type { CompiledPolicy } from "@/lib/policy/compile";
import { evaluate, markRateLimited } from "@/lib/policy/evaluate";
import { DEFAULT_APPROVAL_TIMEOUT_SECONDS, type CounterCheck, type PolicyDecision } from "@/lib/policy/types";
import type { ResolvedGrant } from "@/lib/grants/grants";
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
  options?: { fresh?: boolean },
) => Promise<{
  grant: ResolvedGrant | null;
  server: GatewayServer | null;
  session: GatewaySession | null;
  confirmation: Confirmation | null;
  cached?: boolean;
  /** With a server but no valid grant: why the key is refused, for the server's trail (refused-key.ts). */
  refusedKey?: RefusedKey;
}>;

/** A key refused for a server; `grantId` only for a grant of the server's own workspace. */
export interface RefusedKey {
  grantId: string | null;
  code: RefusedKeyCode;
}

/** What a request refused for its key asked for, and how many before it were over the recording budget. */
interface RefusedRequest {
  method: string;
  tool: string | null;
  skipped: number;
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
  now?: () => number;
}

export type { GatewayApprovals } from "@/lib/gateway/hold";

/** What `decide` makes of one message: its audit row, and an answer, a message to forward, or a call to hold. */
interface Outcome {
  audit: CallAudit;
  answer?: JsonRpcResponse;
  forward?: JsonRpcMessage;
  /** An allowed call under limits: forwarded only if the admit statement counts it under these. */
  count?: { checks: CounterCheck[]; decision: PolicyDecision; policy: CompiledPolicy; t: number };
  hold?: Hold;
  /** For the webhook, once the row is recorded: a new approval was opened. */
  notice?: HeldCallNotice;
}

/** A lookup served from memory that the database no longer confirms: the request starts over from the database. */
class StaleLookup extends Error {}

const SESSION_HEADER = "mcp-session-id";
/** How long the upstream's answer to a forwarded request is still awaited after its client hung up (to record it). */
const CLIENT_GONE_WAIT_MS = 30_000;
/** Bodies are read whole before they are checked; larger ones are refused (413) without being read to the end. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const VERSION_HEADER = "mcp-protocol-version";
/** Request headers passed to the upstream; everything else (Authorization, cookies) stays here. */
const FORWARDED_REQUEST_HEADERS = ["accept", "content-type", VERSION_HEADER, "last-event-id"];
/** Response headers passed back; the session id is replaced by the gateway's. */
const FORWARDED_RESPONSE_HEADERS = ["content-type", "cache-control", VERSION_HEADER];

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return BufferedResponse.fromText(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

function bearer(request: GatewayRequest): string | null {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

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
}

export function createGatewayHandler(deps: GatewayDeps): (request: GatewayRequest, serverId: string) => Promise<Response> {
  const sessions = deps.sessions;
  const eventStreams = createEarlyEventStreams();
  // Calls held in this process, by grant, session and JSON-RPC id: a `notifications/cancelled` for one ends its hold.
  const heldCalls = new Map<string, AbortController>();
  const heldKey = (grantId: string, sessionId: string | null, id: unknown) => `${grantId}\n${sessionId ?? ""}\n${JSON.stringify(id)}`;
  const now = deps.now ?? Date.now;
  const allowed = new Set(deps.allowedOrigins ?? []);
  const bare = (host: string) => host.replace(/^\[|\]$/g, "").toLowerCase();
  const hosts = deps.allowedHosts ? new Set(deps.allowedHosts.map(bare)) : null;
  // Requests refused for their key are recorded within a budget per server (refused-key.ts).
  const refusalBudget = createRefusalBudget();
  const extraMethods = new Set(deps.extraMethods ?? []);

  return async function handle(request: GatewayRequest, serverId: string): Promise<Response> {
    const started = performance.now();
    // The body is read once, even when the request starts again from the database.
    let body: Promise<string | null> | null = null;
    const once: GatewayRequest = { ...request, text: (limit) => (body ??= request.text(limit)) };
    for (let attempt = 0; ; attempt++) {
      try {
        return await handleOnce(once, serverId, attempt > 0, started);
      } catch (error) {
        if (!(error instanceof StaleLookup)) throw error;
        // Nothing was counted, recorded or forwarded: read the database and decide again (changes racing the
        // request more than twice get a "try again").
        if (attempt >= 2) return json(503, jsonRpcError(null, JSON_RPC_ERROR.INTERNAL_ERROR, unavailableRefusal().text), { "retry-after": "1" });
      }
    }
  };

  /**
   * What a request refused for its key asked for, or null when its server is over the budget (then it is only
   * counted). Read before answering: node discards the rest of a body once the answer is sent.
   */
  async function describeRefusal(request: GatewayRequest, serverId: string): Promise<RefusedRequest | null> {
    const slot = refusalBudget.take(serverId, now());
    if (slot === null) return null;
    const body = request.method === "POST" ? await request.text(64 * 1024).catch(() => null) : null;
    return { ...describeRefusedRequest(request.method, body), skipped: slot.skipped };
  }

  function recordRefusedKey(
    server: { id: string; workspaceId: string },
    refused: RefusedKey,
    described: RefusedRequest,
    requestId: string,
    gatewayMs: number,
  ): Promise<void> {
    const skipped = described.skipped > 0 ? ` Another ${described.skipped} such request(s) to this server since the previous one were over the recording budget and are not listed.` : "";
    return deps.audit.record([
      {
        workspaceId: server.workspaceId, serverId: server.id, grantId: refused.grantId, requestId, method: described.method, tool: described.tool,
        decision: "deny", code: refused.code, rule: null, reason: `${REFUSED_KEY_REASONS[refused.code]} Answered 401.${skipped}`,
        upstreamStatus: null, gatewayMs, upstreamMs: null, argumentNames: [], argumentsSha256: null,
      },
    ]);
  }

  async function handleOnce(request: GatewayRequest, serverId: string, fresh: boolean, started: number): Promise<Response> {
    const requestId = randomUUID();
    const ms = () => Math.round((performance.now() - started) * 1000) / 1000;

    // The URL's host is the request's Host (or a trusted proxy's X-Forwarded-Host: lib/gateway/node-adapter.ts).
    if (hosts !== null && !hosts.has(bare(new URL(request.url).hostname))) {
      return json(421, jsonRpcError(null, JSON_RPC_ERROR.INVALID_REQUEST, "This host name is not served by this gateway."));
    }
    // Origin: browsers send it; a foreign one is refused (DNS rebinding, drive-by pages). Non-browser clients omit it.
    const origin = request.headers.get("origin");
    if (origin !== null && origin !== new URL(request.url).origin && !allowed.has(origin)) {
      return json(403, jsonRpcError(null, JSON_RPC_ERROR.INVALID_REQUEST, `Origin ${origin} is not allowed.`));
    }

    const key = bearer(request);
    const challenge = {
      "www-authenticate": 'Bearer realm="portcullis", error="invalid_token", error_description="This key is not valid for this server: create one on the Grants page"',
    };
    if (key === null) {
      const described = await describeRefusal(request, serverId);
      // The server's workspace is needed to record it; looked up off the answer's path.
      if (described) {
        void deps
          .lookup("", serverId, null)
          .then(({ server }) => (server ? recordRefusedKey(server, { grantId: null, code: "key_missing" }, described, requestId, ms()) : undefined))
          .catch(() => {});
      }
      return json(401, jsonRpcError(null, JSON_RPC_ERROR.INVALID_REQUEST, "Send the grant key: Authorization: Bearer pcg_... (create one on the Grants page of the Portcullis console)."), {
        "www-authenticate": 'Bearer realm="portcullis"',
      });
    }

    // Fail closed: without the database nothing is forwarded.
    const sessionId = request.headers.get(SESSION_HEADER);
    let grant: ResolvedGrant | null;
    let server: GatewayServer | null;
    let session: GatewaySession | null;
    let confirmation: Confirmation | null;
    let cached: boolean;
    let refusedKey: RefusedKey | undefined;
    try {
      ({ grant, server, session, confirmation, cached = false, refusedKey } = await deps.lookup(key, serverId, sessionId, { fresh }));
    } catch {
      return json(503, jsonRpcError(null, JSON_RPC_ERROR.INTERNAL_ERROR, unavailableRefusal().text), { "retry-after": "5" });
    }
    if (grant === null || server === null || server.workspaceId !== grant.workspaceId) {
      if (server !== null) {
        const described = await describeRefusal(request, server.id);
        if (described) void recordRefusedKey(server, refusedKey ?? { grantId: null, code: "key_unknown" }, described, requestId, ms()).catch(() => {});
      }
      return json(401, jsonRpcError(null, JSON_RPC_ERROR.INVALID_REQUEST, "This key is not valid for this server (unknown, revoked, or not granted this server): create one on the Grants page of the Portcullis console."), challenge);
    }
    if (!cached) void deps.touchGrant?.(grant.grantId).catch(() => {});
    const validGrant = grant;
    /**
     * A lookup served from memory is confirmed by the admit statement; a path that writes anything else first (held
     * calls, GET and DELETE) reads the database again here, and starts over when the answer changed.
     */
    const ensureConfirmed = async (): Promise<void> => {
      if (!cached) return;
      const again = await deps.lookup(key, serverId, sessionId, { fresh: true });
      const same =
        again.grant?.grantId === validGrant.grantId &&
        again.confirmation !== null &&
        again.confirmation.revision === confirmation?.revision &&
        (sessionId === null || again.session !== null);
      if (!same) throw new StaleLookup();
      cached = false;
    };
    const confirmedOr503 = async (): Promise<Response | null> => {
      try {
        await ensureConfirmed();
        return null;
      } catch (error) {
        if (error instanceof StaleLookup) throw error;
        return json(503, jsonRpcError(null, JSON_RPC_ERROR.INTERNAL_ERROR, unavailableRefusal().text), { "retry-after": "5" });
      }
    };
    const base = { workspaceId: server.workspaceId, serverId: server.id, grantId: grant.grantId, requestId };

    // Sessions: the gateway mints its own ids, bound to the grant; an unknown (or another grant's) id is a 404.
    if (sessionId !== null) {
      if (!session || session.grantId !== grant.grantId || session.serverId !== server.id) {
        await deps.audit
          .record([{ ...base, method: request.method, tool: null, decision: "error", code: "unknown_session", rule: null, reason: null, upstreamStatus: null, gatewayMs: ms(), upstreamMs: null, argumentNames: [], argumentsSha256: null }])
          .catch(() => {});
        return json(404, jsonRpcError(null, JSON_RPC_ERROR.INVALID_REQUEST, "Unknown or expired session: initialize a new one."));
      }
      sessions.touch(sessionId, session);
    }

    const upstreamHeaders = (): Headers => {
      const headers = new Headers();
      for (const name of FORWARDED_REQUEST_HEADERS) {
        const value = request.headers.get(name);
        if (value !== null) headers.set(name, value);
      }
      if (session?.upstreamSessionId) headers.set(SESSION_HEADER, session.upstreamSessionId);
      return headers;
    };

    const record = async (rows: CallAudit[], upstreamStatus: number | null, upstreamMs: number | null) => {
      await deps.audit.record(rows.map((row) => ({ ...base, ...row, upstreamStatus, upstreamMs, gatewayMs: ms() })));
    };
    const plain = (method: string, decision: AuditDecision = "allow"): CallAudit => ({
      method, tool: null, decision, code: null, rule: null, reason: null, argumentNames: [], argumentsSha256: null,
    });

    const version = request.headers.get(VERSION_HEADER) ?? session?.protocolVersion ?? null;

    /** Sends checked messages upstream, with the stored credentials and, for one message, the 2026-07-28 headers. */
    const postUpstream = async (server: GatewayServer, body: JsonRpcMessage | JsonRpcMessage[]) => {
      const upstream = await deps.upstreamFetch(server);
      const headers = upstreamHeaders();
      // 2026-07-28 upstreams route on Mcp-Method / Mcp-Name: derived from the checked message, never copied.
      if (!Array.isArray(body)) for (const [name, value] of Object.entries(standardRequestHeaders(body, version))) headers.set(name, value);
      const t0 = performance.now();
      // A client that hangs up does not take back what was sent: the upstream's answer is still awaited (for up to
      // CLIENT_GONE_WAIT_MS) so its real outcome is recorded. Once the answer has come, a hang-up ends it at once.
      const hop = new AbortController();
      let clientGone = false;
      let answered = false;
      let wait: NodeJS.Timeout | undefined;
      const onClientGone = () => {
        clientGone = true;
        if (answered) return hop.abort(request.signal.reason);
        wait = setTimeout(() => hop.abort(request.signal.reason), CLIENT_GONE_WAIT_MS);
        wait.unref();
      };
      if (request.signal.aborted) onClientGone();
      else request.signal.addEventListener("abort", onClientGone, { once: true });
      try {
        const response = await upstream.fetch(server.url, { method: "POST", headers, body: JSON.stringify(body), signal: hop.signal });
        answered = true;
        clearTimeout(wait);
        if (clientGone) hop.abort(request.signal.reason);
        return { response, upstream, t0, clientGone: () => clientGone };
      } catch (error) {
        clearTimeout(wait);
        request.signal.removeEventListener("abort", onClientGone);
        await upstream.close();
        throw Object.assign(error instanceof Error ? error : new Error(String(error)), { clientGone });
      }
    };

    /** Holds a call on its own event stream (hold.ts), once its `held` row is recorded. */
    const holdCall = async (hold: Hold, audits: CallAudit[], server: GatewayServer, notify: () => void): Promise<Response> => {
      const approvals = deps.approvals!;
      try {
        await record(audits, null, null);
      } catch {
        await approvals.store.withdraw(hold.approvalId).catch(() => {});
        return json(503, jsonRpcError(null, JSON_RPC_ERROR.INTERNAL_ERROR, unavailableRefusal().text), { "retry-after": "5" });
      }
      notify();
      const cancel = new AbortController();
      const key = heldKey(grant.grantId, sessionId, hold.request.id);
      heldCalls.set(key, cancel);
      const body = holdCallStream({
        approvals,
        hold,
        heldAudit: audits[0]!,
        signal: request.signal,
        cancel: cancel.signal,
        release: () => void (heldCalls.get(key) === cancel && heldCalls.delete(key)),
        record,
        post: () => postUpstream(server, hold.request),
        rewrite: toolsListFilter(server),
        now,
      });
      const headers: Record<string, string> = { "content-type": "text/event-stream", "cache-control": "no-cache" };
      if (sessionId) headers[SESSION_HEADER] = sessionId;
      return new Response(body, { status: 200, headers });
    };


    if (request.method === "GET" || request.method === "DELETE") {
      const unavailable = await confirmedOr503();
      if (unavailable) return unavailable;
    }
    if (request.method === "GET" && sessionId !== null && request.headers.get("last-event-id") === null) {
      const early = eventStreams.take(sessionId);
      if (early) {
        try {
          // Opened by the gateway right after `initialized`: no upstream time belongs to this request.
          await record([plain("GET")], early.status, null);
        } catch {
          await early.body?.cancel().catch(() => {});
          return json(503, jsonRpcError(null, JSON_RPC_ERROR.INTERNAL_ERROR, unavailableRefusal().text));
        }
        return passThrough(early, sessionId, async () => {}, streamFilter(server));
      }
    }
    if (request.method === "GET" || request.method === "DELETE") {
      if (request.method === "DELETE" && sessionId !== null) eventStreams.drop(sessionId);
      const upstream = await deps.upstreamFetch(server);
      const t0 = performance.now();
      let response: Response;
      try {
        response = await upstream.fetch(server.url, { method: request.method, headers: upstreamHeaders(), signal: request.signal });
      } catch {
        await upstream.close();
        await record([plain(request.method, "error")], null, null).catch(() => {});
        return json(502, jsonRpcError(null, JSON_RPC_ERROR.INTERNAL_ERROR, "The upstream server could not be reached."));
      }
      if (request.method === "DELETE" && sessionId !== null) await sessions.delete(sessionId).catch(() => {});
      try {
        await record([plain(request.method)], response.status, performance.now() - t0);
      } catch {
        await response.body?.cancel().catch(() => {});
        await upstream.close();
        return json(503, jsonRpcError(null, JSON_RPC_ERROR.INTERNAL_ERROR, unavailableRefusal().text));
      }
      return passThrough(response, sessionId, upstream.close, streamFilter(server));
    }
    if (request.method !== "POST") {
      return new Response(null, { status: 405, headers: { allow: "GET, POST, DELETE" } });
    }

    /** The admit statement for this request's rows (admit.ts); a lookup it no longer confirms starts the request over. */
    const admit = async (rows: AdmitRow[], calls: CounterCheck[][]) => {
      if (confirmation === null) throw new Error("A valid lookup comes with its confirmation.");
      const result = await deps.admit.admit({ confirm: confirmation, calls, rows });
      if (!result.confirmed) throw new StaleLookup();
      void deps.touchGrant?.(validGrant.grantId).catch(() => {});
      return result;
    };
    /** Records a refused body; the database failing does not change the answer. */
    const recordRefusedBody = async () => {
      const row: AdmitRow = { ...base, ...plain("(body)", "error"), upstreamStatus: null, upstreamMs: null, gatewayMs: ms(), forwarded: false, call: null };
      await admit([row], []).catch((error: unknown) => {
        if (error instanceof StaleLookup) throw error;
      });
    };

    const text = await request.text(MAX_BODY_BYTES);
    if (text === null) {
      await recordRefusedBody();
      return json(413, jsonRpcError(null, JSON_RPC_ERROR.INVALID_REQUEST, "The request body is too large."));
    }
    const plan = inspectBody(text, version, { extraMethods });
    if (plan.kind === "refuse") {
      await recordRefusedBody();
      return json(plan.status, plan.error);
    }

    // Decide every message before anything is forwarded.
    const outcomes: Outcome[] = [];
    // A call is held on its own request's event stream: not inside a batch, and not for a client that takes no stream.
    const canHold = !plan.batch && (request.headers.get("accept") ?? "").includes("text/event-stream");
    for (const item of plan.items) {
      // Only within a session: without one, two clients of the same grant could use the same request id.
      if (item.kind === "forward" && "method" in item.message && item.message.method === "notifications/cancelled" && sessionId !== null && heldCalls.size > 0) {
        const params = item.message.params as { requestId?: unknown } | undefined;
        const reason = (item.message.params as { reason?: unknown } | undefined)?.reason;
        heldCalls.get(heldKey(grant.grantId, sessionId, params?.requestId))?.abort(typeof reason === "string" ? reason : "cancelled");
      }
      outcomes.push(await decide(item, server, grant.grantId, canHold, ensureConfirmed, version));
    }

    const notices = outcomes.flatMap((o) => (o.notice ? [o.notice] : []));
    const notify = () => {
      for (const notice of notices) deps.approvals?.notifier?.held(notice);
    };
    const held = outcomes.find((o) => o.hold !== undefined)?.hold;
    if (held) return holdCall(held, outcomes.map((o) => o.audit), server, notify);

    // Admit: confirm the lookup, count the calls and record every message, in one transaction committed before
    // anything is forwarded (admit.ts). The upstream's status and the timings are added once it has answered.
    const calls: CounterCheck[][] = [];
    const rows: AdmitRow[] = outcomes.map((o) => ({
      ...base,
      ...o.audit,
      upstreamStatus: null,
      upstreamMs: null,
      gatewayMs: o.forward ? null : ms(),
      forwarded: o.forward !== undefined,
      call: o.count ? calls.push(o.count.checks) - 1 : null,
    }));
    let admitted;
    try {
      admitted = await admit(rows, calls);
    } catch (error) {
      if (error instanceof StaleLookup) throw error;
      if (isDataError(error)) {
        // The database refused this request's own data (the batcher kept it from failing anyone else's).
        const why = `Portcullis could not record this request: the database refused its data (SQLSTATE ${sqlState(error)}). Nothing was forwarded.`;
        return json(400, jsonRpcError(null, JSON_RPC_ERROR.INVALID_REQUEST, why));
      }
      // Fail closed, as when the lookup cannot be made: nothing was counted, recorded or forwarded.
      return json(503, jsonRpcError(null, JSON_RPC_ERROR.INTERNAL_ERROR, unavailableRefusal().text), { "retry-after": "5" });
    }

    const local: JsonRpcResponse[] = [];
    const forward: JsonRpcMessage[] = [];
    const forwardedIds: string[] = [];
    const limitedRows: CallAudit[] = [];
    const listIds = new Set<JsonRpcId>();
    let initialize: { protocolVersion: string | null } | null = null;
    for (const [i, o] of outcomes.entries()) {
      const call = rows[i]!.call;
      const full = call === null ? null : admitted.calls[call];
      if (o.count && full && o.forward) {
        // Over a limit: refused, and recorded as such (the admit statement wrote nothing for it).
        const refusal = refusalForDecision(markRateLimited(o.count.decision, full, o.count.t), o.count.policy) ?? unavailableRefusal();
        const limited = o.forward as JsonRpcRequest;
        local.push(refusalResponse(limited.id, refusal, requestProtocolVersion(limited, version)));
        limitedRows.push({ ...o.audit, decision: refusal.decision, code: refusal.code, rule: refusal.rule, reason: refusal.text });
        continue;
      }
      if (o.answer) local.push(o.answer);
      if (!o.forward) continue;
      forward.push(o.forward);
      forwardedIds.push(admitted.ids[i]!);
      if ("method" in o.forward && "id" in o.forward) {
        if (o.forward.method === "tools/list") listIds.add(o.forward.id);
        if (o.forward.method === "initialize") {
          const params = o.forward.params as { protocolVersion?: unknown } | undefined;
          initialize = { protocolVersion: typeof params?.protocolVersion === "string" ? params.protocolVersion : null };
        }
      }
    }
    if (limitedRows.length > 0) {
      try {
        await record(limitedRows, null, null);
      } catch {
        return json(503, jsonRpcError(null, JSON_RPC_ERROR.INTERNAL_ERROR, unavailableRefusal().text));
      }
    }
    notify();
    if (forward.length === 0) {
      if (local.length === 0) return new Response(null, { status: 202 });
      return json(200, plan.batch ? local : local[0], sessionId ? { [SESSION_HEADER]: sessionId } : {});
    }

    let sent: Awaited<ReturnType<typeof postUpstream>>;
    try {
      sent = await postUpstream(server, plan.batch ? forward : forward[0]!);
    } catch (error) {
      // A client that went away is recorded as such (the upstream had not answered within the wait), not as an
      // unreachable upstream.
      const gone = (error as { clientGone?: boolean }).clientGone === true;
      deps.admit.complete(
        forwardedIds,
        gone
          ? { upstreamStatus: null, upstreamMs: null, gatewayMs: ms(), code: "client_cancelled", reason: `The client hung up, and the upstream had not answered ${CLIENT_GONE_WAIT_MS / 1000} s later.` }
          : { upstreamStatus: null, upstreamMs: null, gatewayMs: ms(), decision: "error", code: "upstream_unreachable" },
      );
      return json(502, jsonRpcError(null, JSON_RPC_ERROR.INTERNAL_ERROR, "The upstream server could not be reached."));
    }
    const { response, upstream } = sent;
    if (sent.clientGone()) {
      // The upstream's real outcome, for a client no longer there to read it.
      deps.admit.complete(forwardedIds, {
        upstreamStatus: response.status, upstreamMs: performance.now() - sent.t0, gatewayMs: ms(), code: "client_cancelled",
        reason: `The client hung up before the answer; the upstream answered ${response.status}.`,
      });
      await response.body?.cancel().catch(() => {});
      await upstream.close();
      return new Response(null, { status: 499 });
    }
    deps.admit.complete(forwardedIds, { upstreamStatus: response.status, upstreamMs: performance.now() - sent.t0, gatewayMs: ms() });
    // An answer streamed as events can outlive its client: a hang-up before its end is recorded as what it is.
    if ((response.headers.get("content-type") ?? "").includes("text/event-stream")) {
      const onHangUp = () => {
        deps.admit.complete(forwardedIds, { upstreamStatus: null, upstreamMs: null, gatewayMs: null, code: "client_cancelled", reason: "The client hung up while the upstream's answer was streaming." });
      };
      request.signal.addEventListener("abort", onHangUp, { once: true });
    }

    // The session's event stream is opened upstream as soon as the session is initialized, before the client can
    // start a call: a server sends requests not tied to a call (sampling, elicitation) on that stream, and drops
    // or only stores them when it is not open yet. The client's GET then takes it over (early-event-streams.ts).
    const initialized = forward.some((m) => "method" in m && !("id" in m) && m.method === "notifications/initialized");
    if (initialized && response.status === 202 && sessionId !== null && session?.upstreamSessionId) {
      const streamHeaders = upstreamHeaders();
      streamHeaders.set("accept", "text/event-stream");
      streamHeaders.delete("content-type");
      await eventStreams.open(sessionId, (signal) => upstream.fetch(server.url, { method: "GET", headers: streamHeaders, signal }));
    }

    let gatewaySession = sessionId;
    if (initialize && response.ok && sessionId === null) {
      try {
        gatewaySession = await sessions.create({
          grantId: grant.grantId,
          serverId: server.id,
          upstreamSessionId: response.headers.get(SESSION_HEADER),
          protocolVersion: initialize.protocolVersion,
        });
      } catch {
        await response.body?.cancel().catch(() => {});
        await upstream.close();
        return json(503, jsonRpcError(null, JSON_RPC_ERROR.INTERNAL_ERROR, unavailableRefusal().text), { "retry-after": "5" });
      }
    }
    const rewrite = toolsListFilter(server, listIds);
    return passThrough(response, gatewaySession, upstream.close, {
      rewrite, rewrites: listIds.size > 0, local, batch: plan.batch,
      requestIds: forward.flatMap((m) => ("method" in m && "id" in m ? [m.id] : [])),
    });
  };

  async function decide(
    item: InboundItem,
    server: GatewayServer,
    grantId: string,
    canHold: boolean,
    confirm: () => Promise<void>,
    exchangeVersion: string | null,
  ): Promise<Outcome> {
    if (item.kind === "reject") {
      const code = item.error.error.code === JSON_RPC_ERROR.METHOD_NOT_FOUND ? "unknown_method" : "invalid_request";
      const audit: CallAudit = { method: item.method ?? null, tool: null, decision: "error", code, rule: null, reason: item.error.error.message, argumentNames: [], argumentsSha256: null };
      return item.silent ? { audit } : { answer: item.error, audit };
    }
    if (item.kind === "forward") {
      const method = "method" in item.message ? item.message.method : "(response)";
      return { forward: item.message, audit: { method, tool: null, decision: "allow", code: null, rule: null, reason: null, argumentNames: [], argumentsSha256: null } };
    }
    const { request, call } = item;
    // The gateway's own answers are built for the version this call was made under (2026-07-28 adds `resultType`).
    const version = requestProtocolVersion(request, exchangeVersion);
    const digest = argumentDigest(call.arguments);
    const audit = (decision: AuditDecision, code: string | null, rule: string | null, reason: string | null): CallAudit => ({
      method: "tools/call", tool: call.name, decision, code, rule, reason, argumentNames: digest.names, argumentsSha256: digest.sha256,
    });
    const refuse = (refusal: Refusal) => ({
      answer: refusalResponse(request.id, refusal, version),
      audit: audit(refusal.decision, refusal.code, refusal.rule, refusal.text),
    });
    const t = now();
    // Usage is not read before deciding: tryConsume has the final word on limits.
    const decision = evaluate(server.policy, { tool: call.name, args: call.arguments }, { now: t, grantId, serverId: server.id, usage: () => 0 });
    const status = server.tools.get(call.name);
    if (status === undefined || isHiddenByPolicy(decision)) {
      // The agent cannot tell a hidden tool from a missing one; the audit trail says which it was.
      const [code, reason] =
        status === undefined
          ? ["unknown_tool", `The server has no stored tool named ${call.name}: answered as an unknown tool.`]
          : [decision.code, `Hidden by the policy (${decision.matchedRule ? `rule ${decision.matchedRule}` : "default deny"}): ${decision.reason} Answered as an unknown tool.`];
      return { answer: unknownToolError(request.id, call.name), audit: audit("deny", code, decision.matchedRule, reason) };
    }
    if (status === "needs_review") return refuse(needsReviewRefusal(call.name));
    if (decision.decision === "require_approval" && deps.approvals) {
      return approval(deps.approvals, request, { name: call.name, arguments: call.arguments ?? {} }, digest, decision, server, grantId, canHold, t, confirm, version);
    }
    const refusal = refusalForDecision(decision, server.policy);
    if (refusal) {
      const refused = refuse(refusal);
      // The agent's text quotes the offending value; the audit trail never keeps values, only where and which rule.
      if (decision.violations && decision.violations.length > 0) {
        refused.audit.reason = `Arguments outside the rule: ${decision.violations.map((v) => `${v.path} (${v.keyword})`).join(", ")}.`;
      }
      return refused;
    }
    // Counted by the admit statement, with the rest of the request, before anything is forwarded.
    const checks = decision.counters.filter((c) => decision.increment.includes(c.key));
    const allowed: Outcome = { forward: request, audit: audit("allow", decision.code, decision.matchedRule, null) };
    if (checks.length > 0) allowed.count = { checks, decision, policy: server.policy, t };
    return allowed;
  }

  /**
   * Counts a call that goes ahead (allowed, or newly held) under its rule's limits: null when it may, else the refusal
   * (rate limited, or no database to count with).
   */
  async function countCall(decision: PolicyDecision, policy: CompiledPolicy, t: number): Promise<Refusal | null> {
    const checks = decision.counters.filter((c) => decision.increment.includes(c.key));
    if (checks.length === 0) return null;
    let consumed;
    try {
      consumed = await deps.counters.tryConsume(checks);
    } catch {
      return unavailableRefusal();
    }
    return consumed.ok ? null : refusalForDecision(markRateLimited(decision, consumed.exhausted, t), policy);
  }

  /**
   * A call under a `require_approval` rule. The same call (grant, server, tool, argument digest) approved and not used
   * yet goes through now, once; one still pending is waited on again; otherwise it counts against its limits (so an
   * agent cannot flood people with requests) and a new approval is opened. Then it is held, or, when it cannot be
   * (a batch, a client that takes no event stream), answered "pending approval" at once.
   */
  async function approval(
    approvals: GatewayApprovals,
    request: JsonRpcRequest,
    call: { name: string; arguments: Record<string, unknown> },
    digest: { names: string[]; sha256: string },
    decision: PolicyDecision,
    server: GatewayServer,
    grantId: string,
    canHold: boolean,
    t: number,
    confirm: () => Promise<void>,
    version: string | null,
  ): Promise<Outcome> {
    const rule = decision.matchedRule;
    // People read the rule's own reason; the agent's text (decision.reason) is written for a model.
    const ruleReason = (rule === null ? undefined : server.policy.rules.find((r) => r.pattern === rule)?.reason) ?? null;
    const audit = (kind: AuditDecision, code: string, reason: string): CallAudit => ({
      method: "tools/call", tool: call.name, decision: kind, code, rule, reason, argumentNames: digest.names, argumentsSha256: digest.sha256,
    });
    const unavailable = () => ({ answer: refusalResponse(request.id, unavailableRefusal(), version), audit: audit("deny", "unavailable", unavailableRefusal().text) });
    // A held call's argument values are stored for the approvers; forwarded calls' values never are.
    const unstorable = findUnstorable(call.arguments);
    if (unstorable) {
      const why = `The argument ${formatJsonPath(unstorable.path, "arguments")} holds ${describeUnstorable(unstorable.reason)}, so the call cannot be held for approval: remove it and call again.`;
      return { answer: jsonRpcError(request.id, JSON_RPC_ERROR.INVALID_PARAMS, why), audit: audit("error", "unstorable_arguments", why) };
    }
    const timeoutMs = (decision.approvalTimeoutSeconds ?? DEFAULT_APPROVAL_TIMEOUT_SECONDS) * 1000;
    const key = { grantId, serverId: server.id, tool: call.name, argumentsSha256: digest.sha256 };
    let open;
    try {
      // Approvals are written before the admit statement: a lookup served from memory is confirmed first.
      await confirm();
      open = await approvals.store.findOpen(key);
      if (open?.status === "approved") {
        if (await approvals.store.use(open.id)) {
          return { forward: request, audit: audit("allow", "approved", `Approved by ${open.decidedBy ?? "a person"} (approval ${open.id}): forwarded once.`) };
        }
        open = null; // an identical call used it a moment ago: this one needs its own approval
      }
    } catch (error) {
      if (error instanceof StaleLookup) throw error;
      return unavailable();
    }
    const waitingUntil = canHold ? t + timeoutMs : t;
    let approvalId: string;
    let notice: HeldCallNotice | undefined;
    if (open?.status === "pending") {
      approvalId = open.id;
      if (canHold) {
        try {
          await approvals.store.waitAgain(open.id, waitingUntil);
        } catch {
          return unavailable();
        }
      }
    } else {
      const limited = await countCall(decision, server.policy, t);
      if (limited) return { answer: refusalResponse(request.id, limited, version), audit: audit(limited.decision, limited.code, limited.text) };
      try {
        approvalId = await approvals.store.create({
          workspaceId: server.workspaceId,
          serverId: server.id,
          grantId,
          tool: call.name,
          arguments: call.arguments,
          argumentNames: digest.names,
          argumentsSha256: digest.sha256,
          rule,
          reason: ruleReason,
          waitingUntil,
        });
      } catch {
        return unavailable();
      }
      notice = { approvalId, workspaceId: server.workspaceId, serverId: server.id, grantId, tool: call.name, rule, reason: ruleReason, argumentNames: digest.names };
    }
    const again = notice === undefined ? " again" : "";
    if (!canHold) {
      const why = "a call in a batch, or from a client that takes no event stream, cannot wait";
      return {
        answer: refusalResponse(request.id, approvalPendingRefusal(call.name, approvalId, rule, 0), version),
        audit: audit("require_approval", "approval_pending", `Held${again} for approval ${approvalId}; ${why}: answered "pending approval".`),
        notice,
      };
    }
    return {
      hold: { approvalId, request, tool: call.name, rule, timeoutMs, protocolVersion: version },
      audit: audit("require_approval", "approval_held", `Held${again} for approval ${approvalId}, for up to ${Math.round(timeoutMs / 1000)} s.`),
      notice,
    };
  }
}


/**
 * Filters every tools/list result the upstream sends, on any stream and whatever request it names: a client matches
 * answers to its requests by id, so an upstream could answer the client's tools/list on another request's stream
 * (or replay it on a resumed GET stream). A result is taken for one when it answers a tools/list of this request
 * (`listIds`) or carries a `tools` array.
 */
function toolsListFilter(server: GatewayServer, listIds: ReadonlySet<JsonRpcId> = new Set()): (message: unknown) => unknown {
  // Listed only when a call would be forwarded: stored (classified) and not awaiting review.
  const callable = (name: string) => {
    const status = server.tools.get(name);
    return status !== undefined && status !== "needs_review";
  };
  return (message) => {
    if (typeof message !== "object" || message === null || Array.isArray(message)) return message;
    const m = message as { id?: JsonRpcId; result?: unknown };
    if (m.id === undefined || !("result" in m)) return message;
    const listsTools = typeof m.result === "object" && m.result !== null && Array.isArray((m.result as { tools?: unknown }).tools);
    return listIds.has(m.id) || listsTools ? { ...m, result: filterToolsList(m.result, server.policy, callable) } : message;
  };
}

/** The edit for a stream the client did not ask with a tools/list (GET streams): only the filter. */
function streamFilter(server: GatewayServer) {
  return { rewrite: toolsListFilter(server), rewrites: false, local: [], batch: false, requestIds: [] };
}

/**
 * Whether a JSON answer might hold a tools/list result: a `"tools"` key, or any `\u` escape (which could spell the
 * key another way). Answers read into memory are checked without parsing them; others are assumed to.
 */
function mayListTools(response: Response): boolean {
  const bytes = response instanceof BufferedResponse ? response.peekBytes() : undefined;
  if (bytes === undefined) return true;
  if (bytes === null) return false;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.includes('"tools"') || buffer.includes("\\u");
}

/**
 * The upstream's answer, streamed back as it arrives. JSON bodies are parsed once (to filter tools/list and to merge
 * the gateway's own answers into a batch); SSE is rewritten event by event, never buffered past one event.
 */
function passThrough(
  response: Response,
  sessionId: string | null,
  close: () => Promise<void>,
  edit: { rewrite: (m: unknown) => unknown; rewrites: boolean; local: JsonRpcResponse[]; batch: boolean; requestIds: JsonRpcId[] } | null,
): Response | Promise<Response> {
  const headers = new Headers();
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (sessionId) headers.set(SESSION_HEADER, sessionId);
  const type = response.headers.get("content-type") ?? "";

  if (edit !== null && response.status === 202 && edit.local.length > 0) {
    void response.body?.cancel().catch(() => {});
    void close();
    headers.set("content-type", "application/json");
    return BufferedResponse.fromText(JSON.stringify(edit.batch ? edit.local : edit.local[0]), { status: 200, headers });
  }
  // Nothing to filter or merge (a tools/call answer, an unedited stream, no body): the upstream's bytes go back as
  // they are; an answer read into memory (every finite one from the upstream hop) with no stream around them
  // (lib/http/buffered-response.ts).
  if (edit === null || !hasBody(response) || (type.includes("application/json") && edit.local.length === 0 && !edit.rewrites && !mayListTools(response))) {
    if (response instanceof BufferedResponse && !response.bodyUsed) {
      void close();
      return new BufferedResponse(response.takeBytes() ?? null, { status: response.status, headers });
    }
    const stream = response.body;
    if (!stream) void close();
    return new Response(stream ? closing(stream, close) : null, { status: response.status, headers });
  }
  if (type.includes("application/json")) {
    return response.text().then((text) => {
      void close();
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return BufferedResponse.fromText(text, { status: response.status, headers });
      }
      const rewritten = Array.isArray(value) ? value.map(edit.rewrite) : edit.rewrite(value);
      const merged = edit.local.length === 0 ? rewritten : [...edit.local, ...(Array.isArray(rewritten) ? rewritten : [rewritten])];
      return BufferedResponse.fromText(JSON.stringify(merged), { status: response.status, headers });
    });
  }
  if (type.includes("text/event-stream")) {
    return new Response(closing(response.body!.pipeThrough(sseRewriter(edit.rewrite, edit.local, { requestIds: edit.requestIds })), close), { status: response.status, headers });
  }
  return new Response(closing(response.body!, close), { status: response.status, headers });
}

/** Reads the upstream body on demand (no buffering) and releases the upstream connection at its end, on an error, or
 * when the client cancels (goes away) mid-stream. */
function closing(body: ReadableStream<Uint8Array>, close: () => Promise<void>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let closed = false;
  const release = () => {
    if (closed) return;
    closed = true;
    void close().catch(() => {});
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          release();
          return;
        }
        controller.enqueue(value);
      } catch (error) {
        controller.error(error);
        release();
      }
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => {});
      release();
    },
  });
}
