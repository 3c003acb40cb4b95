import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  approvalClosedRefusal,
  approvalPendingRefusal,
  approvalRejectedRefusal,
  DECISION_META_KEY,
  isHiddenByPolicy,
  needsReviewRefusal,
  refusalForDecision,
  refusalResponse,
  refusalResult,
  unavailableRefusal,
  unknownToolError,
  type Refusal,
} from "@/lib/mcp/refusal";
import { compilePolicy, type CompiledPolicy } from "@/lib/policy/compile";
import { evaluate, markRateLimited } from "@/lib/policy/evaluate";
import { presentTool } from "@/lib/policy/narrow-schema";
import { callArgs, policy as arbitraryPolicy, toolName } from "@/lib/policy/policy-arbitraries.test-support";
import { validatePolicy } from "@/lib/policy/schema";
import type { EvaluationContext, PolicyDecision, PolicyDocument } from "@/lib/policy/types";

/** 2025-01-01 12:00:30 UTC: 30 s before the minute ends. */
const NOW = Date.UTC(2025, 0, 1, 12, 0, 30);

const DOCUMENT = {
  version: "1",
  default: "deny",
  tools: {
    "get_*": {},
    "delete_*": { action: "deny", reason: "Deleting is done by people, in the console" },
    list_invoices: { limits: [{ counter: "reads", window: "minute", max: 2, scope: "grant" }] },
    refund_payment: {
      action: "require_approval",
      reason: "Refunds are checked by finance.",
      args: { amount: { type: "number", maximum: 500 } },
    },
    "send_*": { action: "require_approval" },
  },
};

function compiled(document: unknown = DOCUMENT): CompiledPolicy {
  const result = validatePolicy(document);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return compilePolicy(result.document);
}

const POLICY = compiled();

function context(usage: Record<string, number> = {}): EvaluationContext {
  return { now: NOW, grantId: "g1", serverId: "s1", usage: (_key, counter) => usage[counter] ?? 0 };
}

function refuse(tool: string, args: unknown = {}, usage: Record<string, number> = {}): Refusal | null {
  return refusalForDecision(evaluate(POLICY, { tool, args }, context(usage)), POLICY);
}

describe("refusalForDecision", () => {
  it.each<[string, string, unknown, Record<string, number>, Partial<Refusal>, RegExp[]]>([
    [
      "a deny rule",
      "delete_user",
      {},
      {},
      { code: "denied_by_rule", decision: "deny", rule: "delete_*" },
      [/Deleting is done by people, in the console\./, /Do not retry/],
    ],
    ["the default", "unknown_tool", {}, {}, { code: "denied_by_default", decision: "deny", rule: null }, [/policy denies tools without a rule/, /Do not retry/]],
    [
      "a used-up limit",
      "list_invoices",
      {},
      { reads: 2 },
      { code: "rate_limited", decision: "rate_limited", rule: "list_invoices", retryAfterSeconds: 30 },
      [/Retry after 30 seconds\./, /counter `reads` allows 2 calls per minute/],
    ],
    [
      "an argument outside its constraint",
      "refund_payment",
      { amount: 900 },
      {},
      { code: "argument_violation", decision: "deny", rule: "refund_payment" },
      [/`amount` must be at most 500; got 900\./, /Change the arguments/],
    ],
    [
      "a rule that needs approval",
      "refund_payment",
      { amount: 20 },
      {},
      { code: "approval_required", decision: "require_approval", rule: "refund_payment" },
      [/needs a person's approval under the policy rule for `refund_payment`\./, /Refunds are checked by finance\./, /ask a person/],
    ],
    [
      "a glob that needs approval, without a reason",
      "send_email",
      {},
      {},
      { code: "approval_required", decision: "require_approval", rule: "send_*" },
      [/under the policy rule for tools matching `send_\*`\. It was not made: ask a person to approve it/],
    ],
  ])("refuses %s", (_why, tool, args, usage, meta, texts) => {
    const refusal = refuse(tool, args, usage);
    expect(refusal).toMatchObject(meta);
    for (const text of texts) expect(refusal?.text).toMatch(text);
  });

  it("does not promise that an approval is pending while the gateway cannot hold calls", () => {
    expect(refuse("refund_payment", { amount: 1 })?.text).not.toMatch(/held for up to/);
  });

  it("puts an approval id in the meta and the text when there is one", () => {
    const decision = evaluate(POLICY, { tool: "refund_payment", args: { amount: 1 } }, context());
    const refusal = refusalForDecision(decision, POLICY, { approvalId: "apr_123" });
    expect(refusal).toMatchObject({ approvalId: "apr_123" });
    expect(refusal?.text).toContain("(approval request apr_123)");
  });

  it("carries the retry time of a decision the counter store refused (markRateLimited)", () => {
    const allowed = evaluate(POLICY, { tool: "list_invoices", args: {} }, context());
    const limited = markRateLimited(allowed, [allowed.counters[0]!.key], NOW);
    expect(refusalForDecision(limited, POLICY)).toMatchObject({ code: "rate_limited", retryAfterSeconds: 30 });
    expect(refusalForDecision(limited, POLICY)?.text).toMatch(/Retry after 30 seconds\./);
  });

  it("uses the policy's sentence for a policy error", () => {
    const decision: PolicyDecision = {
      decision: "deny",
      code: "policy_error",
      matchedRule: "x",
      reason: "Refused: the argument constraints could not be checked.",
      counters: [],
      increment: [],
    };
    expect(refusalForDecision(decision, POLICY)).toEqual({ code: "policy_error", decision: "deny", rule: "x", text: decision.reason });
  });

  it.each(["get_user", "list_invoices"])("lets %s through (null)", (tool) => {
    expect(refuse(tool)).toBeNull();
  });

  it("lets the default through when it allows", () => {
    const open = compiled({ version: "1", default: "allow", tools: {} });
    expect(refusalForDecision(evaluate(open, { tool: "anything" }, context()), open)).toBeNull();
  });
});

describe("other refusals", () => {
  it("a tool awaiting review: a person must review it", () => {
    const refusal = needsReviewRefusal("create_invoice");
    expect(refusal).toMatchObject({ code: "needs_review", decision: "deny", rule: null });
    expect(refusal.text).toMatch(/`create_invoice` changed on its server/);
    expect(refusal.text).toMatch(/a person must review it/);
  });

  it("no database: try again shortly, nothing was made", () => {
    const refusal = unavailableRefusal();
    expect(refusal).toMatchObject({ code: "unavailable", decision: "deny", rule: null });
    expect(refusal.text).toMatch(/the call was not made\. Try again shortly\.$/);
  });
});

describe("the tool result and the JSON-RPC answer", () => {
  it("is an isError tool result with the text and the decision under _meta", () => {
    const refusal = refuse("list_invoices", {}, { reads: 5 })!;
    expect(DECISION_META_KEY).toBe("portcullis/decision");
    expect(refusalResult(refusal, "2025-11-25")).toEqual({
      content: [{ type: "text", text: refusal.text }],
      isError: true,
      _meta: { "portcullis/decision": { code: "rate_limited", decision: "rate_limited", rule: "list_invoices", retryAfterSeconds: 30 } },
    });
  });

  it("leaves optional meta fields out rather than null", () => {
    const meta = refusalResult(needsReviewRefusal("t"), null)._meta[DECISION_META_KEY];
    expect(Object.keys(meta).sort()).toEqual(["code", "decision", "rule"]);
  });

  it("answers the request's id with a result (HTTP 200), never a JSON-RPC error", () => {
    const response = refusalResponse("abc", unavailableRefusal(), null);
    expect(response).toMatchObject({ jsonrpc: "2.0", id: "abc", result: { isError: true } });
    expect(response).not.toHaveProperty("error");
    expect(JSON.parse(JSON.stringify(response))).toEqual(response);
  });

  // 2026-07-28 clients refuse a result without `resultType`; earlier revisions have no such field.
  it.each<[string | null, boolean]>([
    ["2026-07-28", true],
    ["2025-11-25", false],
    ["2025-06-18", false],
    ["2025-03-26", false],
    [null, false],
  ])("under protocol version %s, names the result's type: %s", (version, named) => {
    const result = refusalResponse(7, unavailableRefusal(), version).result as Record<string, unknown>;
    expect(Object.hasOwn(result, "resultType")).toBe(named);
    expect(result.resultType).toBe(named ? "complete" : undefined);
  });

  it.each<[string | number, string]>([
    [1, "delete_user"],
    ["r-2", "no such tool"],
  ])("an unknown or hidden tool is -32602 'Unknown tool: NAME' (%j)", (id, name) => {
    expect(unknownToolError(id, name)).toEqual({ jsonrpc: "2.0", id, error: { code: -32602, message: `Unknown tool: ${name}` } });
  });
});

describe("isHiddenByPolicy", () => {
  it.each<[string, boolean]>([
    ["delete_user", true],
    ["unknown_tool", true],
    ["get_user", false],
    ["refund_payment", false],
  ])("%s hidden: %s", (tool, hidden) => {
    expect(isHiddenByPolicy(evaluate(POLICY, { tool, args: { amount: 1 } }, context()))).toBe(hidden);
  });

  it("hides a call exactly when tools/list hides the tool (property)", () => {
    fc.assert(
      fc.property(arbitraryPolicy, toolName, callArgs, fc.integer({ min: 0, max: 6 }), (doc: PolicyDocument, tool, args, used) => {
        const policy = compilePolicy(doc);
        const decision = evaluate(policy, { tool, args }, { now: NOW, grantId: "g", serverId: "s", usage: () => used });
        expect(isHiddenByPolicy(decision)).toBe(presentTool(policy, { name: tool, inputSchema: { type: "object" } }) === null);
      }),
      { numRuns: 500 },
    );
  });
});

describe("held-call answers", () => {
  it("tells the agent a call is pending, names the approval, and how to retry", () => {
    const r = approvalPendingRefusal("run_command", "0b9c", "run_command", 50);
    expect(r).toMatchObject({ code: "approval_pending", decision: "require_approval", rule: "run_command", approvalId: "0b9c" });
    expect(r.text).toMatch(/waiting for a person's approval \(approval 0b9c\)/);
    expect(r.text).toMatch(/Nobody decided within 50 seconds\./);
    expect(r.text).toMatch(/exactly the same arguments/);
    expect(approvalPendingRefusal("x", "id", null, 0).text).not.toMatch(/Nobody decided/);
  });

  it("passes a rejection's note to the agent, or says there was none", () => {
    expect(approvalRejectedRefusal("id1", "pay", "  Too much money.  ").text).toMatch(/Their note: "Too much money\."/);
    expect(approvalRejectedRefusal("id1", "pay", null)).toMatchObject({ code: "approval_rejected", decision: "deny", approvalId: "id1" });
    expect(approvalRejectedRefusal("id1", "pay", "").text).toMatch(/They left no note\./);
  });

  it("says why a closed approval did not let the call through", () => {
    expect(approvalClosedRefusal("a", null, "used").text).toMatch(/already used by an identical call/);
    expect(approvalClosedRefusal("a", null, "expired").text).toMatch(/expired/);
    expect(approvalClosedRefusal("a", null, "withdrawn").text).toMatch(/withdrawn/);
  });
});
