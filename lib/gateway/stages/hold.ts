// Stage 4, POST: a call under a `require_approval` rule is held on its own request's event stream
// (held-call-stream.ts) once its `held` row is recorded; a `notifications/cancelled` for it ends the hold.
import { unavailableAnswer } from "@/lib/gateway/answers";
import { record, type Exchange } from "@/lib/gateway/exchange";
import { holdCallStream, type Hold } from "@/lib/gateway/held-call-stream";
import { SESSION_HEADER } from "@/lib/gateway/http-headers";
import { heldCallKey, type GatewayInstance } from "@/lib/gateway/instance";
import type { CallAudit } from "@/lib/gateway/audit";
import type { Outcome } from "@/lib/gateway/stages/outcome";
import { postUpstream } from "@/lib/gateway/stages/forward";
import { toolsListFilter } from "@/lib/gateway/tools-list-filter";

/** `audits` are the request's rows, the held call's first; `notify` tells the webhook once they are recorded. */
export async function holdCall(gw: GatewayInstance, ex: Exchange, hold: Hold, audits: CallAudit[], notify: () => void): Promise<Response> {
  const approvals = gw.deps.approvals!;
  try {
    await record(gw, ex, audits, null, null, false);
  } catch {
    await approvals.store.withdraw(hold.approvalId).catch(() => {});
    return unavailableAnswer(5);
  }
  notify();
  const cancel = new AbortController();
  const key = heldCallKey(ex.grant.grantId, ex.sessionId, hold.request.id);
  gw.heldCalls.set(key, cancel);
  gw.deps.metrics?.heldCalls(1);
  let released = false;
  const body = holdCallStream({
    approvals,
    hold,
    heldAudit: audits[0]!,
    signal: ex.request.signal,
    cancel: cancel.signal,
    release: () => {
      if (!released) gw.deps.metrics?.heldCalls(-1);
      released = true;
      if (gw.heldCalls.get(key) === cancel) gw.heldCalls.delete(key);
    },
    record: (rows, upstreamStatus, upstreamMs) => record(gw, ex, rows, upstreamStatus, upstreamMs),
    post: () => postUpstream(gw, ex, hold.request),
    rewrite: toolsListFilter(ex.server),
    now: gw.now,
  });
  const headers: Record<string, string> = { "content-type": "text/event-stream", "cache-control": "no-cache" };
  if (ex.sessionId) headers[SESSION_HEADER] = ex.sessionId;
  return new Response(body, { status: 200, headers });
}

/**
 * A `notifications/cancelled` ends the hold of the call it names. Only within a session: without one, two clients of
 * the same grant could use the same request id.
 */
export function cancelHeldCall(gw: GatewayInstance, ex: Exchange, message: { params?: unknown }): void {
  if (ex.sessionId === null || gw.heldCalls.size === 0) return;
  const params = message.params as { requestId?: unknown; reason?: unknown } | undefined;
  const reason = params?.reason;
  gw.heldCalls.get(heldCallKey(ex.grant.grantId, ex.sessionId, params?.requestId))?.abort(typeof reason === "string" ? reason : "cancelled");
}

/** Tells the workspace's webhook of each approval these outcomes opened (once their rows are recorded). */
export function notifyApprovers(gw: GatewayInstance, outcomes: readonly Outcome[]): void {
  for (const outcome of outcomes) if (outcome.notice) gw.deps.approvals?.notifier?.held(outcome.notice);
}
