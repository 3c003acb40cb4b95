// Stage 4, POST: a call under a `require_approval` rule is held on its own request's event stream
// (held-call-stream.ts) once its `held` row is recorded; a `notifications/cancelled` for it ends the hold.
import { unavailableAnswer } from "@/lib/gateway/answers";
import { record, type Exchange } from "@/lib/gateway/exchange";
import { holdCallStream, type Hold } from "@/lib/gateway/held-call-stream";
import { SESSION_HEADER } from "@/lib/gateway/http-headers";
import { endHeldCall, heldCallKey, type GatewayInstance } from "@/lib/gateway/instance";
import type { CallAudit } from "@/lib/gateway/audit";
import type { Outcome } from "@/lib/gateway/stages/outcome";
import { postUpstream } from "@/lib/gateway/stages/forward";
import { toolsListFilter } from "@/lib/gateway/tools-list-filter";

/** `audits` are the request's rows, the held call's first; `notify` tells the webhook once they are recorded. */
export async function holdCall(gw: GatewayInstance, ex: Exchange, hold: Hold, audits: CallAudit[], notify: () => void): Promise<Response> {
  const approvals = gw.deps.approvals!;
  // Registered before anything is awaited: from here a `notifications/cancelled` for the call finds it. One that
  // came earlier still (the approval already existed) was kept for it (earlyCancels) and ends the hold at once.
  const cancel = new AbortController();
  const key = heldCallKey(ex.grant.grantId, ex.sessionId, hold.request.id);
  gw.heldCalls.set(key, cancel);
  const cancelledEarly = ex.sessionId === null ? null : gw.earlyCancels.take(key, gw.now());
  if (cancelledEarly !== null) cancel.abort(cancelledEarly);
  try {
    await record(gw, ex, audits, null, null, false);
  } catch {
    if (gw.heldCalls.get(key) === cancel) gw.heldCalls.delete(key);
    await approvals.store.withdraw({ workspaceId: hold.workspaceId, id: hold.approvalId }).catch(() => {});
    return unavailableAnswer(5);
  }
  notify();
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
  if (ex.sessionId === null) return;
  const params = message.params as { requestId?: unknown; reason?: unknown } | undefined;
  const reason = typeof params?.reason === "string" ? params.reason : "cancelled";
  const key = heldCallKey(ex.grant.grantId, ex.sessionId, params?.requestId);
  // Not held here (yet): the call may be on its way to its hold, which takes the cancellation when it registers, or
  // held by another instance, which is told.
  if (!endHeldCall(gw, key, reason)) void gw.deps.approvals?.waiter.cancelHeld(key, reason).catch(() => {});
}

/** Tells the workspace's webhook of each approval these outcomes opened (once their rows are recorded). */
export function notifyApprovers(gw: GatewayInstance, outcomes: readonly Outcome[]): void {
  for (const outcome of outcomes) if (outcome.notice) gw.deps.approvals?.notifier?.held(outcome.notice);
}
