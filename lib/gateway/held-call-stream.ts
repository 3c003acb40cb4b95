// A tools/call held for a person's decision (a `require_approval` rule), on the call's own event stream: progress
// while it waits, then the upstream's answer (approved), the approver's note (rejected), or "pending approval" when
// nobody decided in time. A client that goes away withdraws the approval. Every step is recorded. The POST stages
// decide that a call is held and record the `held` row first (stages/hold.ts); README.md in this folder has the story.
import type { ApprovalStore } from "@/lib/approvals/approval-store";
import type { ApprovalWaiter } from "@/lib/approvals/approval-waiter";
import type { ApprovalNotifier } from "@/lib/approvals/webhook";
import type { AuditDecision, CallAudit } from "@/lib/gateway/audit";
import { JSON_RPC_ERROR, jsonRpcError, type JsonRpcRequest } from "@/lib/mcp/json-rpc";
import { sseRewriter } from "@/lib/gateway/sse-rewriter";
import {
  approvalClosedRefusal,
  approvalPendingRefusal,
  approvalRejectedRefusal,
  refusalResponse,
  unavailableRefusal,
  type Refusal,
} from "@/lib/mcp/refusal";

export interface GatewayApprovals {
  store: ApprovalStore;
  waiter: ApprovalWaiter;
  /** The workspace's webhook, told when a call is held (in the background). */
  notifier?: ApprovalNotifier;
  /** How often a held call's stream gets a progress notification (or a comment when it has no progress token). */
  progressEveryMs?: number;
}

/** A tools/call held for a person's decision: the approval it waits on and what to say while it waits. */
export interface Hold {
  /** The approval's workspace (the server's), which keys it with its id. */
  workspaceId: string;
  approvalId: string;
  request: JsonRpcRequest;
  tool: string;
  rule: string | null;
  timeoutMs: number;
  /** The protocol version the call was made under (requestProtocolVersion): the gateway's own answers follow it. */
  protocolVersion: string | null;
}

export interface HoldContext {
  approvals: GatewayApprovals;
  hold: Hold;
  /** The `held` row, already recorded: each later step is recorded as a copy of it with its own outcome. */
  heldAudit: CallAudit;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** Aborted (with the client's reason) when the client sends `notifications/cancelled` for the held request. */
  cancel: AbortSignal;
  /** Called once the wait is over, whatever ended it. */
  release(): void;
  record(rows: CallAudit[], upstreamStatus: number | null, upstreamMs: number | null): Promise<void>;
  /** Forwards the held request upstream (once approved). */
  post(): Promise<{ response: Response; upstream: { close(): Promise<void> }; t0: number }>;
  /** Applied to every message of the upstream's answer (tools/list filtering: tools-list-filter.ts). */
  rewrite?: (message: unknown) => unknown;
  now(): number;
}

/** The body of the held call's answer: an event stream that stays open until the call is decided or given up. */
export function holdCallStream(ctx: HoldContext): ReadableStream<Uint8Array> {
  const events = eventWriter();
  void runHold(ctx, events).catch(() => events.end());
  return events.stream;
}

/** An event stream written from outside: raw bytes, JSON-RPC messages as `message` events, then the end. */
function eventWriter() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    cancel: () => void (open = false),
  });
  const send = (chunk: string | Uint8Array) => {
    if (!open) return;
    try {
      controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
    } catch {
      open = false;
    }
  };
  return {
    stream,
    isOpen: () => open,
    send,
    message: (message: unknown) => send(`event: message\ndata: ${JSON.stringify(message)}\n\n`),
    end() {
      if (!open) return;
      open = false;
      try {
        controller.close();
      } catch {
        // already closed by the client
      }
    },
  };
}

/** The progress token a request asked for (params._meta.progressToken), if any. */
function progressTokenOf(request: JsonRpcRequest): string | number | undefined {
  const params = request.params as { _meta?: { progressToken?: unknown } } | undefined;
  const token = params?._meta?.progressToken;
  return typeof token === "string" || typeof token === "number" ? token : undefined;
}

async function runHold(ctx: HoldContext, events: ReturnType<typeof eventWriter>): Promise<void> {
  const { approvals, hold } = ctx;
  const approvalRef = { workspaceId: hold.workspaceId, id: hold.approvalId };
  const step = (decision: AuditDecision, code: string, reason: string): CallAudit => ({ ...ctx.heldAudit, decision, code, reason });
  const answer = async (row: CallAudit, refusal: Refusal) => {
    try {
      await ctx.record([row], null, null);
      events.message(refusalResponse(hold.request.id, refusal, hold.protocolVersion));
    } catch {
      events.message(refusalResponse(hold.request.id, unavailableRefusal(), hold.protocolVersion));
    }
    events.end();
  };
  const quietly = async (row: CallAudit) => {
    await ctx.record([row], null, null).catch(() => {});
    events.end();
  };

  const token = progressTokenOf(hold.request);
  const started = ctx.now();
  let beats = 0;
  const heartbeat = setInterval(() => {
    beats++;
    const waited = Math.round((ctx.now() - started) / 1000);
    if (token === undefined) events.send(`: waiting for approval ${hold.approvalId} (${waited} s)\n\n`);
    else {
      events.message({
        jsonrpc: "2.0",
        method: "notifications/progress",
        params: { progressToken: token, progress: beats, message: `Waiting for a person's approval (approval ${hold.approvalId}, ${waited} s so far).` },
      });
    }
  }, approvals.progressEveryMs ?? 5_000);
  const outcome = await approvals.waiter
    .wait(approvalRef, { signal: AbortSignal.any([ctx.signal, ctx.cancel]), timeoutMs: hold.timeoutMs })
    .finally(() => {
      clearInterval(heartbeat);
      ctx.release();
    });

  if (outcome.kind === "aborted") {
    // A client whose own request timeout ran out cancels with a reason saying so: that is the hold timing out on its
    // side, so the approval stays open for its retry. Any other cancel, or the connection closing, withdraws it.
    if (ctx.cancel.aborted && /timed? ?out/i.test(String(ctx.cancel.reason ?? ""))) {
      await approvals.store.stopWaiting(approvalRef).catch(() => {});
      return quietly(step("require_approval", "approval_pending", `The client's own timeout ended its wait: approval ${hold.approvalId} stays open for a retry of the same call.`));
    }
    const withdrawn = await approvals.store.withdraw(approvalRef).catch(() => false);
    const how = ctx.cancel.aborted ? "cancelled the call" : "went away";
    const reason = withdrawn
      ? `The client ${how} while the call was held: approval ${hold.approvalId} withdrawn.`
      : `The client ${how} while the call was held (approval ${hold.approvalId} was already decided or closed).`;
    return quietly(step("require_approval", "approval_withdrawn", reason));
  }
  if (outcome.kind === "timeout") {
    await approvals.store.stopWaiting(approvalRef).catch(() => {});
    const seconds = Math.round(hold.timeoutMs / 1000);
    const reason = `Nobody decided within ${seconds} s: answered "pending approval"; approval ${hold.approvalId} stays open for a retry of the same call.`;
    return answer(step("require_approval", "approval_pending", reason), approvalPendingRefusal(hold.tool, hold.approvalId, hold.rule, seconds));
  }
  const approval = outcome.approval;
  if (approval.status === "rejected") {
    const reason = `Rejected by ${approval.decidedBy ?? "a person"} (approval ${approval.id}); the agent got the note.`;
    return answer(step("deny", "approval_rejected", reason), approvalRejectedRefusal(approval.id, hold.rule, approval.note));
  }
  let used = false;
  if (approval.status === "approved") {
    try {
      used = await approvals.store.use(approval);
    } catch {
      return answer(step("error", "unavailable", "The database could not be reached to use the approval: nothing forwarded."), unavailableRefusal());
    }
  }
  if (!used) {
    const status = approval.status === "approved" ? "used" : approval.status;
    return answer(step("deny", "approval_closed", `Approval ${approval.id} is ${status}: nothing forwarded.`), approvalClosedRefusal(approval.id, hold.rule, status));
  }

  // Approved and used by this call: forward it, and stream the upstream's answer into this event stream.
  const approved = step("allow", "approved", `Approved by ${approval.decidedBy ?? "a person"} (approval ${approval.id}): forwarded once.`);
  let sent: Awaited<ReturnType<HoldContext["post"]>>;
  try {
    sent = await ctx.post();
  } catch {
    await ctx.record([{ ...approved, decision: "error", code: "upstream_unreachable" }], null, null).catch(() => {});
    events.message(jsonRpcError(hold.request.id, JSON_RPC_ERROR.INTERNAL_ERROR, "The upstream server could not be reached."));
    events.end();
    return;
  }
  const { response } = sent;
  const close = sent.upstream.close;
  try {
    await ctx.record([approved], response.status, performance.now() - sent.t0);
  } catch {
    await response.body?.cancel().catch(() => {});
    await close();
    events.message(refusalResponse(hold.request.id, unavailableRefusal(), hold.protocolVersion));
    events.end();
    return;
  }
  try {
    const type = response.headers.get("content-type") ?? "";
    if (type.includes("text/event-stream") && response.body) {
      // Events as they come, each message filtered (sse-rewriter.ts): this stream is at an event boundary, and the
      // rewriter's events end with one.
      const body = ctx.rewrite ? response.body.pipeThrough(sseRewriter(ctx.rewrite, [], { requestIds: [hold.request.id] })) : response.body;
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        events.send(value);
        if (!events.isOpen()) {
          await reader.cancel().catch(() => {});
          break;
        }
      }
    } else {
      const text = await response.text();
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        message = jsonRpcError(hold.request.id, JSON_RPC_ERROR.INTERNAL_ERROR, `The upstream server answered HTTP ${response.status} without a JSON-RPC message.`);
      }
      events.message(ctx.rewrite ? (Array.isArray(message) ? message.map(ctx.rewrite) : ctx.rewrite(message)) : message);
    }
  } catch {
    events.message(jsonRpcError(hold.request.id, JSON_RPC_ERROR.INTERNAL_ERROR, "The upstream server's answer broke off."));
  } finally {
    await close();
    events.end();
  }
}
