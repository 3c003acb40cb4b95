import { RISK_CATEGORY_LABELS } from "@/lib/risk/labels";
import type { RecommendedPolicyDocument, RecommendedRule, RiskClassification } from "@/lib/risk/types";

// The rule a tool's risk calls for, in the v1 policy document format. Read and low-risk tools are allowed,
// Execute and High tools are rate-capped, and critical changes to data, money or permissions wait for a person.

/** The rate cap recommended for Execute and High tools: a runaway agent cannot fire them dozens of times a minute. */
export const RECOMMENDED_RATE_LIMIT = { window: "minute", max: 10, scope: "grant" } as const;

const NEEDS_APPROVAL_WHEN_CRITICAL: ReadonlySet<RiskClassification["category"]> = new Set([
  "destructive",
  "access_control",
  "financial",
]);

type Risk = Pick<RiskClassification, "name" | "category" | "level">;

export function recommendRule(risk: Risk): RecommendedRule {
  if (risk.level === "critical" && NEEDS_APPROVAL_WHEN_CRITICAL.has(risk.category)) {
    return {
      action: "require_approval",
      reason: `${risk.name} is a critical-risk ${RISK_CATEGORY_LABELS[risk.category]} tool: a person must approve each call.`,
    };
  }
  if (risk.category === "execute" || risk.level === "high" || risk.level === "critical") {
    return { limits: [{ counter: `${risk.name}_rate`, ...RECOMMENDED_RATE_LIMIT }] };
  }
  // An empty rule allows the tool; the document's default still denies every tool without one.
  return {};
}

/** A whole policy document for one tool: its recommended rule, and everything else denied. */
export function recommendPolicy(risk: Risk): RecommendedPolicyDocument {
  return { version: "1", default: "deny", tools: { [risk.name]: recommendRule(risk) } };
}
