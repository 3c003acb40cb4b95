// One authenticated request (stages/authenticate.ts makes it) and what every later stage does with it: record its
// audit rows, confirm a lookup served from memory, and build the headers sent upstream.
import type { Confirmation } from "@/lib/gateway/admit";
import type { AuditDecision, CallAudit } from "@/lib/gateway/audit";
import { FORWARDED_REQUEST_HEADERS, SESSION_HEADER } from "@/lib/gateway/http-headers";
import type { GatewayInstance } from "@/lib/gateway/instance";
import { StaleLookup } from "@/lib/gateway/stale-lookup";
import type { RequestTrace } from "@/lib/gateway/tracing";
import type { GatewayRequest, GatewayServer, GatewaySession } from "@/lib/gateway/types";
import { unavailableAnswer } from "@/lib/gateway/answers";
import type { ResolvedGrant } from "@/lib/grants/grants";
import { requestResource } from "@/lib/gateway/stages/authenticate";

export interface Exchange {
  request: GatewayRequest;
  requestId: string;
  /** The gateway's own time on this request so far, in ms (from its arrival, across restarts). */
  ms(): number;
  /** The grant key as sent, and the server id as the URL names it: what the lookup was asked. */
  key: string;
  serverId: string;
  grant: ResolvedGrant;
  server: GatewayServer;
  /** The gateway session id the request names (Mcp-Session-Id), and that session when it is live. */
  sessionId: string | null;
  session: GatewaySession | null;
  confirmation: Confirmation | null;
  /** Served from memory and not yet confirmed by the database (see `ensureConfirmed`). */
  cached: boolean;
  /** The exchange's protocol version: the request's header, else the session's. */
  version: string | null;
  /** The fields every audit row of this request shares. */
  base: { workspaceId: string; serverId: string; grantId: string; requestId: string };
  /** The request's trace, or undefined when tracing is off (GatewayDeps.tracing). */
  trace: RequestTrace | undefined;
}

/**
 * Records rows of this request, committed before the caller goes on. `counted`: false for a call's `held` row, whose
 * decision the metrics count once, from the row that ends the hold.
 */
export async function record(gw: GatewayInstance, ex: Exchange, rows: CallAudit[], upstreamStatus: number | null, upstreamMs: number | null, counted = true): Promise<void> {
  await gw.deps.audit.record(rows.map((row) => ({ ...ex.base, ...row, upstreamStatus, upstreamMs, gatewayMs: ex.ms() })));
  const metrics = gw.deps.metrics;
  if (metrics && counted) for (const row of rows) metrics.decided(ex.server.id, row.method, row.decision);
  // A held row too: the request's span says the call was held, whatever ends the hold later.
  if (ex.trace) for (const row of rows) ex.trace.decided(row);
}

/** The row of a message with no tool: GET, DELETE, a refused body. */
export function plainAudit(method: string, decision: AuditDecision = "allow"): CallAudit {
  return { method, tool: null, decision, code: null, rule: null, reason: null, argumentNames: [], argumentsSha256: null };
}

/**
 * The client's headers the upstream may see, and the upstream's own session id, with lower-case names: a plain record
 * (every upstream fetch takes one), as a Headers object per call cost more than the forwarding that used it.
 */
export function upstreamHeaders(ex: Exchange): Record<string, string> {
  const headers: Record<string, string> = {};
  const from = ex.request.headers;
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = from.get(name);
    if (value !== null) headers[name] = value;
  }
  if (ex.session?.upstreamSessionId) headers[SESSION_HEADER] = ex.session.upstreamSessionId;
  return headers;
}

/**
 * A lookup served from memory is confirmed by the admit statement; a path that writes anything else first (held
 * calls, GET and DELETE) reads the database again here, and starts over (StaleLookup) when the answer changed.
 */
export async function ensureConfirmed(gw: GatewayInstance, ex: Exchange): Promise<void> {
  if (!ex.cached) return;
  const again = await gw.deps.lookup(ex.key, ex.serverId, ex.sessionId, { fresh: true, resource: requestResource(ex.request, ex.serverId) });
  const same =
    again.grant?.grantId === ex.grant.grantId &&
    again.confirmation !== null &&
    again.confirmation.revision === ex.confirmation?.revision &&
    (ex.sessionId === null || again.session !== null);
  if (!same) throw new StaleLookup();
  ex.cached = false;
}

/** `ensureConfirmed`, with the 503 to answer when the database cannot say (null when confirmed). */
export async function confirmedOr503(gw: GatewayInstance, ex: Exchange): Promise<Response | null> {
  try {
    await ensureConfirmed(gw, ex);
    return null;
  } catch (error) {
    if (error instanceof StaleLookup) throw error;
    return unavailableAnswer(5);
  }
}
