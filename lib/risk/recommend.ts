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

/** The policy language's counter names (COUNTER_NAME in lib/policy/schema.ts); tool names are not limited so. */
const COUNTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** `<tool>_rate`, or for a tool name a counter cannot hold (a slash, a space, too long), a safe form of it told apart by a hash. */
function rateCounter(tool: string): string {
  const plain = `${tool}_rate`;
  if (COUNTER_NAME.test(plain)) return plain;
  const safe = tool.replace(/[^A-Za-z0-9_.-]+/g, "_").replace(/^[^A-Za-z0-9]+/, "").slice(0, 50);
  return `${safe || "tool"}_${fnv1a(tool)}_rate`;
}

/** FNV-1a, 32 bits as 8 hex digits: enough to keep two long names with the same beginning apart. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

export function recommendRule(risk: Risk): RecommendedRule {
  if (risk.level === "critical" && NEEDS_APPROVAL_WHEN_CRITICAL.has(risk.category)) {
    return {
      action: "require_approval",
      reason: `${risk.name} is a critical-risk ${RISK_CATEGORY_LABELS[risk.category]} tool: a person must approve each call.`,
    };
  }
  if (risk.category === "execute" || risk.level === "high" || risk.level === "critical") {
    return { limits: [{ counter: rateCounter(risk.name), ...RECOMMENDED_RATE_LIMIT }] };
  }
  // An empty rule allows the tool; the document's default still denies every tool without one.
  return {};
}

/** A whole policy document for one tool: its recommended rule, and everything else denied. */
export function recommendPolicy(risk: Risk): RecommendedPolicyDocument {
  return { version: "1", default: "deny", tools: { [risk.name]: recommendRule(risk) } };
}
