// What an agent gets back when the gateway does not forward a tools/call: a tool result with `isError: true` (HTTP 200)
// whose text says what happened and what to do, and a machine-readable decision under `_meta`; or, for a tool it
// may not see, the same JSON-RPC error as for a tool that does not exist.
import {
  JSON_RPC_ERROR,
  JSON_RPC_VERSION,
  jsonRpcError,
  type JsonRpcErrorResponse,
  type JsonRpcId,
  type JsonRpcSuccessResponse,
} from "@/lib/mcp/json-rpc";
import { resultTypeRequired } from "@/lib/mcp/protocol-version";
import { quoted, type CompiledPolicy } from "@/lib/policy/compile";
import { asSentence } from "@/lib/policy/describe";
import { isGlob } from "@/lib/policy/glob";
import type { DecisionCode, DecisionKind, PolicyDecision } from "@/lib/policy/types";

/**
 * The `_meta` key of the decision on a refused call. MCP reserves `_meta` names with a `modelcontextprotocol` or
 * `mcp` label; others use their own prefix followed by a slash, as this one does.
 */
export const DECISION_META_KEY = "portcullis/decision";

/** Why a call was not forwarded: a refusing policy decision, a tool awaiting review, or no database to decide with. */
export type RefusalCode =
  | Exclude<DecisionCode, "allowed" | "allowed_by_default">
  | "needs_review"
  | "unavailable"
  | "approval_pending"
  | "approval_rejected"
  | "approval_closed";

/** The `_meta["portcullis/decision"]` object: stable field names, for clients and for the audit trail. */
export interface DecisionMeta {
  code: RefusalCode;
  decision: Exclude<DecisionKind, "allow">;
  /** The pattern of the policy rule that applied; null for the default or when no rule decided. */
  rule: string | null;
  retryAfterSeconds?: number;
  approvalId?: string;
}

export interface Refusal extends DecisionMeta {
  /** What the agent reads: what happened and what it can do. */
  text: string;
}

export interface RefusalToolResult {
  content: [{ type: "text"; text: string }];
  isError: true;
  _meta: { [DECISION_META_KEY]: DecisionMeta };
  /** Only under 2026-07-28 and later (resultTypeRequired). */
  resultType?: "complete";
}

/** Whether a decision means the tool is hidden from this grant: answered as an unknown tool, never as a denial. */
export function isHiddenByPolicy(decision: PolicyDecision): boolean {
  return decision.code === "denied_by_rule" || decision.code === "denied_by_default";
}

/**
 * The refusal for a policy decision, or null when the decision lets the call through. The policy core's reasons
 * already say what to do (the retry time, the argument and constraint at fault). The gateway holds `require_approval`
 * calls rather than refusing them (approvalPendingRefusal and the others below); this refusal, with the gateway's
 * own text, is for a caller that cannot hold one.
 */
export function refusalForDecision(
  decision: PolicyDecision,
  policy: CompiledPolicy,
  options: { approvalId?: string } = {},
): Refusal | null {
  if (decision.decision === "allow") return null;
  const refusal: Refusal = { code: decision.code as RefusalCode, decision: decision.decision, rule: decision.matchedRule, text: decision.reason };
  if (decision.retryAfterSeconds !== undefined) refusal.retryAfterSeconds = decision.retryAfterSeconds;
  if (decision.decision === "require_approval") {
    refusal.text = approvalText(decision.matchedRule, policy, options.approvalId);
    if (options.approvalId !== undefined) refusal.approvalId = options.approvalId;
  }
  return refusal;
}

function approvalText(rule: string | null, policy: CompiledPolicy, approvalId: string | undefined): string {
  const reason = rule === null ? undefined : policy.rules.find((r) => r.pattern === rule)?.reason;
  const under = rule === null ? "under the policy" : `under the policy rule for ${quoted(rule, isGlob(rule))}`;
  const why = reason ? ` ${asSentence(reason)}` : "";
  const request = approvalId === undefined ? "" : ` (approval request ${approvalId})`;
  return `This call needs a person's approval ${under}.${why} It was not made${request}: ask a person to approve it or to change the policy, then call again.`;
}

/**
 * A held call whose client stopped waiting before anyone decided: the approval stays open, and the same call (same
 * tool, same arguments, same grant) made again later goes through once if it was approved meanwhile.
 */
export function approvalPendingRefusal(tool: string, approvalId: string, rule: string | null, waitedSeconds: number): Refusal {
  const waited = waitedSeconds > 0 ? ` Nobody decided within ${waitedSeconds} second${waitedSeconds === 1 ? "" : "s"}.` : "";
  return {
    code: "approval_pending",
    decision: "require_approval",
    rule,
    approvalId,
    text:
      `This call to \`${tool}\` is waiting for a person's approval (approval ${approvalId}) and was not made yet.${waited} ` +
      "Call again later with exactly the same arguments: once a person approves it, that call goes through (once). Tell the user it awaits their approval in Portcullis.",
  };
}

/** A person rejected the held call: their note goes to the agent (not who they are). */
export function approvalRejectedRefusal(approvalId: string, rule: string | null, note: string | null): Refusal {
  const said = note && note.trim() ? ` Their note: "${note.trim()}"` : " They left no note.";
  return {
    code: "approval_rejected",
    decision: "deny",
    rule,
    approvalId,
    text: `A person rejected this call (approval ${approvalId}), so it was not made.${said} Do not retry it unchanged; ask the user how to proceed.`,
  };
}

/** The approval ended without being used by this call: it expired, was withdrawn, or an identical call used it first. */
export function approvalClosedRefusal(approvalId: string, rule: string | null, status: string): Refusal {
  const why = status === "used" ? "its approval was already used by an identical call" : status === "expired" ? "its approval expired" : "its approval was withdrawn";
  return {
    code: "approval_closed",
    decision: "deny",
    rule,
    approvalId,
    text: `This call was not made: ${why} (approval ${approvalId}). An approval lets one identical call through once; call again to ask a person anew.`,
  };
}

/** A call to a tool whose definition changed upstream since a person last accepted it. */
export function needsReviewRefusal(tool: string): Refusal {
  return {
    code: "needs_review",
    decision: "deny",
    rule: null,
    text: `The tool \`${tool}\` changed on its server since it was last reviewed, and a person must review it before it can be called again. The call was not made: ask a person to review the change in Portcullis, then call again.`,
  };
}

/** Fail closed: the gateway could not reach its database (policy, counters or audit), so nothing was forwarded. */
export function unavailableRefusal(): Refusal {
  return {
    code: "unavailable",
    decision: "deny",
    rule: null,
    text: "Portcullis could not reach its database to check this call against the policy, so the call was not made. Try again shortly.",
  };
}

/**
 * The MCP tool result for a refusal: `isError: true`, the text, and the decision under `_meta`, valid under the
 * protocol version the call was made with (`requestProtocolVersion`): a finished call says `resultType: "complete"`
 * from 2026-07-28 on, and nothing of the kind before.
 */
export function refusalResult(refusal: Refusal, version: string | null): RefusalToolResult {
  const { text, ...meta } = refusal;
  const result: RefusalToolResult = { content: [{ type: "text", text }], isError: true, _meta: { [DECISION_META_KEY]: meta } };
  if (resultTypeRequired(version)) result.resultType = "complete";
  return result;
}

/** The whole JSON-RPC answer (sent with HTTP 200) to the tools/call request `id` that was refused. */
export function refusalResponse(id: JsonRpcId, refusal: Refusal, version: string | null): JsonRpcSuccessResponse {
  return { jsonrpc: JSON_RPC_VERSION, id, result: refusalResult(refusal, version) };
}

/** A tools/call to a tool that does not exist or that the policy hides: the same answer for both, so hiding leaks nothing. */
export function unknownToolError(id: JsonRpcId, name: string): JsonRpcErrorResponse {
  return jsonRpcError(id, JSON_RPC_ERROR.INVALID_PARAMS, `Unknown tool: ${name}`);
}
