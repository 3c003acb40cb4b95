// Stage 3, POST: every message decided before anything is forwarded. A tools/call goes through the policy core:
// hidden or unknown, awaiting review, refused, held for approval (decide-approval.ts), or allowed and to be counted
// by the admit statement. Other messages are forwarded or answered as inspect-body.ts planned them.
import { argumentDigest, type ArgumentDigest } from "@/lib/mcp/argument-digest";
import type { AuditDecision, CallAudit } from "@/lib/gateway/audit";
import type { Exchange } from "@/lib/gateway/exchange";
import type { InboundItem } from "@/lib/mcp/inspect-body";
import type { GatewayInstance } from "@/lib/gateway/instance";
import { JSON_RPC_ERROR, type JsonRpcRequest } from "@/lib/mcp/json-rpc";
import { requestProtocolVersion } from "@/lib/mcp/protocol-version";
import { isHiddenByPolicy, needsReviewRefusal, refusalForDecision, refusalResponse, unknownToolError, type Refusal } from "@/lib/mcp/refusal";
import { decideApproval } from "@/lib/gateway/stages/decide-approval";
import { cancelHeldCall } from "@/lib/gateway/stages/hold";
import type { MessagePlan } from "@/lib/gateway/stages/inspect";
import type { Outcome } from "@/lib/gateway/stages/outcome";
import { evaluate } from "@/lib/policy/evaluate";

/**
 * The outcome of every message, in order. Only a call under approval waits for anything, so the rest are decided
 * without a promise or a turn of the event loop: the answer is a plain array unless some message had to wait.
 */
export function decide(gw: GatewayInstance, ex: Exchange, plan: MessagePlan): Outcome[] | Promise<Outcome[]> {
  const span = ex.trace?.decide();
  const outcomes: Outcome[] = [];
  // A call is held on its own request's event stream: not inside a batch, and not for a client that takes no stream.
  const canHold = !plan.batch && (ex.request.headers.get("accept") ?? "").includes("text/event-stream");
  try {
    for (let i = 0; i < plan.items.length; i++) {
      const outcome = decideItem(gw, ex, plan.items[i]!, canHold);
      if (outcome instanceof Promise) return decideRest(gw, ex, plan, canHold, span, outcomes, outcome, i);
      outcomes.push(outcome);
    }
  } catch (error) {
    span?.end(outcomes.map((o) => o.audit), error);
    throw error;
  }
  span?.end(outcomes.map((o) => o.audit));
  return outcomes;
}

/** `decide` from the first message that had to wait (`pending`, the `at`th) on. */
async function decideRest(
  gw: GatewayInstance,
  ex: Exchange,
  plan: MessagePlan,
  canHold: boolean,
  span: ReturnType<NonNullable<Exchange["trace"]>["decide"]> | undefined,
  outcomes: Outcome[],
  pending: Promise<Outcome>,
  at: number,
): Promise<Outcome[]> {
  try {
    outcomes.push(await pending);
    for (let i = at + 1; i < plan.items.length; i++) {
      const outcome = decideItem(gw, ex, plan.items[i]!, canHold);
      outcomes.push(outcome instanceof Promise ? await outcome : outcome);
    }
  } catch (error) {
    span?.end(outcomes.map((o) => o.audit), error);
    throw error;
  }
  span?.end(outcomes.map((o) => o.audit));
  return outcomes;
}

function decideItem(gw: GatewayInstance, ex: Exchange, item: InboundItem, canHold: boolean): Outcome | Promise<Outcome> {
  if (item.kind === "forward" && "method" in item.message && item.message.method === "notifications/cancelled") cancelHeldCall(gw, ex, item.message);
  return decideMessage(gw, ex, item, canHold);
}

function decideMessage(gw: GatewayInstance, ex: Exchange, item: InboundItem, canHold: boolean): Outcome | Promise<Outcome> {
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
  const { server } = ex;
  const grantId = ex.grant.grantId;
  // The gateway's own answers are built for the version this call was made under (2026-07-28 adds `resultType`).
  const version = requestProtocolVersion(request, ex.version);
  const digest = argumentDigest(call.arguments);
  const t = gw.now();
  // Usage is not read before deciding: tryConsume has the final word on limits.
  const decision = evaluate(server.policy, { tool: call.name, args: call.arguments }, { now: t, grantId, serverId: server.id, usage: noUsage });
  const status = server.tools.get(call.name);
  if (status === undefined || isHiddenByPolicy(decision)) {
    // The agent cannot tell a hidden tool from a missing one; the audit trail says which it was.
    const [code, reason] =
      status === undefined
        ? ["unknown_tool", `The server has no stored tool named ${call.name}: answered as an unknown tool.`]
        : [decision.code, `Hidden by the policy (${decision.matchedRule ? `rule ${decision.matchedRule}` : "default deny"}): ${decision.reason} Answered as an unknown tool.`];
    return { answer: unknownToolError(request.id, call.name), audit: callAudit(call.name, digest, "deny", code, decision.matchedRule, reason) };
  }
  if (status === "needs_review") return refuse(request, call.name, digest, version, needsReviewRefusal(call.name));
  const approvals = gw.deps.approvals;
  if (decision.decision === "require_approval" && approvals) {
    return decideApproval(gw, ex, approvals, request, { name: call.name, arguments: call.arguments ?? {} }, digest, decision, canHold, t, version);
  }
  const refusal = refusalForDecision(decision, server.policy);
  if (refusal) {
    const refused = refuse(request, call.name, digest, version, refusal);
    // The agent's text quotes the offending value; the audit trail never keeps values, only where and which rule.
    if (decision.violations && decision.violations.length > 0) {
      refused.audit.reason = `Arguments outside the rule: ${decision.violations.map((v) => `${v.path} (${v.keyword})`).join(", ")}.`;
    }
    return refused;
  }
  // Counted by the admit statement, with the rest of the request, before anything is forwarded.
  const checks = decision.counters.filter((c) => decision.increment.includes(c.key));
  const allowed: Outcome = { forward: request, audit: callAudit(call.name, digest, "allow", decision.code, decision.matchedRule, null) };
  if (checks.length > 0) allowed.count = { checks, decision, policy: server.policy, t };
  return allowed;
}

const noUsage = () => 0;

/** A tools/call's row: its tool and argument digest, never the values. */
function callAudit(tool: string, digest: ArgumentDigest, decision: AuditDecision, code: string | null, rule: string | null, reason: string | null): CallAudit {
  return { method: "tools/call", tool, decision, code, rule, reason, argumentNames: digest.names, argumentsSha256: digest.sha256 };
}

/** A refused call: the refusal as the client reads it, under its protocol version, and its row. */
function refuse(request: JsonRpcRequest, tool: string, digest: ArgumentDigest, version: string | null, refusal: Refusal): Outcome & { audit: CallAudit } {
  return { answer: refusalResponse(request.id, refusal, version), audit: callAudit(tool, digest, refusal.decision, refusal.code, refusal.rule, refusal.text) };
}
