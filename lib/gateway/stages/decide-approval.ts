// A tools/call under a `require_approval` rule (part of `decide`). The same call (grant, server, tool, argument
// digest) approved and not used yet goes through now, once; one still pending is waited on again; otherwise it counts
// against its limits (so an agent cannot flood people with requests) and a new approval is opened. Then it is held,
// or, when it cannot be (a batch, a client that takes no event stream), answered "pending approval" at once.
import type { HeldCallNotice } from "@/lib/approvals/webhook";
import type { AuditDecision, CallAudit } from "@/lib/gateway/audit";
import { ensureConfirmed, type Exchange } from "@/lib/gateway/exchange";
import type { GatewayApprovals } from "@/lib/gateway/held-call-stream";
import type { GatewayInstance } from "@/lib/gateway/instance";
import { JSON_RPC_ERROR, jsonRpcError, type JsonRpcRequest } from "@/lib/mcp/json-rpc";
import { approvalPendingRefusal, refusalForDecision, refusalResponse, unavailableRefusal, type Refusal } from "@/lib/mcp/refusal";
import { StaleLookup } from "@/lib/gateway/stale-lookup";
import type { Outcome } from "@/lib/gateway/stages/outcome";
import { describeUnstorable, findUnstorable, formatJsonPath } from "@/lib/json/storable-text";
import type { CompiledPolicy } from "@/lib/policy/compile";
import { markRateLimited } from "@/lib/policy/evaluate";
import { DEFAULT_APPROVAL_TIMEOUT_SECONDS, type PolicyDecision } from "@/lib/policy/types";

export async function decideApproval(
  gw: GatewayInstance,
  ex: Exchange,
  approvals: GatewayApprovals,
  request: JsonRpcRequest,
  call: { name: string; arguments: Record<string, unknown> },
  digest: { names: string[]; sha256: string },
  decision: PolicyDecision,
  canHold: boolean,
  t: number,
  version: string | null,
): Promise<Outcome> {
  const { server } = ex;
  const grantId = ex.grant.grantId;
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
  const key = { workspaceId: server.workspaceId, grantId, serverId: server.id, tool: call.name, argumentsSha256: digest.sha256 };
  let open;
  try {
    // Approvals are written before the admit statement: a lookup served from memory is confirmed first.
    await ensureConfirmed(gw, ex);
    open = await approvals.store.findOpen(key);
    if (open?.status === "approved") {
      if (await approvals.store.use(open)) {
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
        await approvals.store.waitAgain(open, waitingUntil);
      } catch {
        return unavailable();
      }
    }
  } else {
    const limited = await countCall(gw, server.workspaceId, decision, server.policy, t);
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
    hold: { workspaceId: server.workspaceId, approvalId, request, tool: call.name, rule, timeoutMs, protocolVersion: version },
    audit: audit("require_approval", "approval_held", `Held${again} for approval ${approvalId}, for up to ${Math.round(timeoutMs / 1000)} s.`),
    notice,
  };
}

/**
 * Counts a call that goes ahead newly held under its rule's limits (allowed calls are counted by the admit
 * statement): null when it may, else the refusal (rate limited, or no database to count with).
 */
async function countCall(gw: GatewayInstance, workspaceId: string, decision: PolicyDecision, policy: CompiledPolicy, t: number): Promise<Refusal | null> {
  const checks = decision.counters.filter((c) => decision.increment.includes(c.key));
  if (checks.length === 0) return null;
  let consumed;
  try {
    consumed = await gw.deps.counters.tryConsume(workspaceId, checks);
  } catch {
    return unavailableRefusal();
  }
  return consumed.ok ? null : refusalForDecision(markRateLimited(decision, consumed.exhausted, t), policy);
}
