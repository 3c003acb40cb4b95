// Stage 5, POST: the admit statement (admit.ts) confirms the lookup, counts every allowed call under all of its
// counters or none, and records every message's row, in one transaction committed before anything is forwarded. A
// call over a limit is refused here and its `rate_limited` row recorded apart.
import type { AdmitRow } from "@/lib/gateway/admit";
import { dataRefusedAnswer, unavailableAnswer } from "@/lib/gateway/answers";
import type { CallAudit } from "@/lib/gateway/audit";
import { isDataError, sqlState } from "@/lib/gateway/batcher";
import { record, type Exchange } from "@/lib/gateway/exchange";
import type { GatewayInstance } from "@/lib/gateway/instance";
import type { JsonRpcId, JsonRpcMessage, JsonRpcRequest, JsonRpcResponse } from "@/lib/mcp/json-rpc";
import { requestProtocolVersion } from "@/lib/mcp/protocol-version";
import { refusalForDecision, refusalResponse, unavailableRefusal } from "@/lib/mcp/refusal";
import { StaleLookup } from "@/lib/gateway/stale-lookup";
import type { Outcome } from "@/lib/gateway/stages/outcome";
import { markRateLimited } from "@/lib/policy/evaluate";
import type { CounterCheck } from "@/lib/policy/types";

/** What the admit stage leaves to forward and to answer. */
export interface Admitted {
  /** The gateway's own answers: refusals, errors, calls over a limit. */
  local: JsonRpcResponse[];
  /** The messages to forward, and the ids of their rows (their outcome is added once the upstream answers). */
  forward: JsonRpcMessage[];
  forwardedIds: string[];
  /** The ids of the tools/list requests forwarded: their answers are always filtered. */
  listIds: Set<JsonRpcId>;
  /** An initialize forwarded, with the protocol version it asks for: its answer opens a gateway session. */
  initialize: { protocolVersion: string | null } | null;
}

/** The admit statement for this request's rows; a lookup it no longer confirms starts the request over. */
export async function admitStatement(gw: GatewayInstance, ex: Exchange, rows: AdmitRow[], calls: CounterCheck[][]) {
  if (ex.confirmation === null) throw new Error("A valid lookup comes with its confirmation.");
  const { metrics } = gw.deps;
  const { trace } = ex;
  const t0 = metrics ? performance.now() : 0;
  const span = trace?.admit();
  let result;
  try {
    result = await gw.deps.admit.admit({ confirm: ex.confirmation, calls, rows });
  } catch (error) {
    span?.end(null, error);
    throw error;
  }
  metrics?.admitMs(performance.now() - t0);
  span?.end(result.confirmed ? { confirmed: true, rateLimited: result.calls.filter((full) => full !== null).length } : { confirmed: false, rateLimited: 0 });
  if (!result.confirmed) throw new StaleLookup();
  // A call over a limit is counted where it is refused (admit), as rate_limited, not here as allowed.
  if (metrics || trace) {
    for (const row of rows) {
      if (row.call !== null && result.calls[row.call] !== null) continue;
      metrics?.decided(ex.server.id, row.method, row.decision);
      trace?.decided(row);
    }
  }
  void gw.deps.touchGrant?.(ex.grant.grantId).catch(ignore);
  return result;
}

const ignore = () => {};

export async function admit(gw: GatewayInstance, ex: Exchange, outcomes: readonly Outcome[]): Promise<Admitted | Response> {
  const calls: CounterCheck[][] = [];
  const rows: AdmitRow[] = [];
  const { base } = ex;
  // Field by field rather than spread from `base` and the audit: one object per row, built in one shape.
  for (const o of outcomes) {
    const a = o.audit;
    rows.push({
      workspaceId: base.workspaceId,
      serverId: base.serverId,
      grantId: base.grantId,
      requestId: base.requestId,
      at: a.at,
      method: a.method,
      tool: a.tool,
      decision: a.decision,
      code: a.code,
      rule: a.rule,
      reason: a.reason,
      argumentNames: a.argumentNames,
      argumentsSha256: a.argumentsSha256,
      upstreamStatus: null,
      upstreamMs: null,
      gatewayMs: o.forward ? null : ex.ms(),
      forwarded: o.forward !== undefined,
      call: o.count ? calls.push(o.count.checks) - 1 : null,
    });
  }
  let admitted;
  try {
    admitted = await admitStatement(gw, ex, rows, calls);
  } catch (error) {
    if (error instanceof StaleLookup) throw error;
    if (isDataError(error)) return dataRefusedAnswer(sqlState(error));
    // Fail closed, as when the lookup cannot be made: nothing was counted, recorded or forwarded.
    return unavailableAnswer(5);
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
      local.push(refusalResponse(limited.id, refusal, requestProtocolVersion(limited, ex.version)));
      limitedRows.push({ ...o.audit, decision: refusal.decision, code: refusal.code, rule: refusal.rule, reason: refusal.text });
      gw.deps.metrics?.rateLimited(ex.server.id);
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
      await record(gw, ex, limitedRows, null, null);
    } catch {
      return unavailableAnswer();
    }
  }
  return { local, forward, forwardedIds, listIds, initialize };
}
