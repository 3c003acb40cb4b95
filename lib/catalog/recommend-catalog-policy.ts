import { compilePolicy, describeRule, validatePolicy } from "@/lib/policy";
import { recommendPolicy, recommendRule } from "@/lib/risk";
import type { RiskClassification } from "@/lib/risk/types";

// The rule we recommend for a catalog tool, as for a registered server's (lib/risk/recommend.ts), checked by the
// policy language's own validator, with what it does in plain words.

export interface CatalogRecommendation {
  rule: Record<string, unknown>;
  /** A whole policy document holding the rule, every other tool denied: ready to paste. */
  policy: Record<string, unknown>;
  /** What the policy does, one sentence each. */
  explanation: string[];
}

export function recommendCatalogPolicy(risk: Pick<RiskClassification, "name" | "category" | "level">): CatalogRecommendation {
  const policy = recommendPolicy(risk);
  const validation = validatePolicy(policy);
  if (!validation.ok) {
    // recommendRule is built to give valid documents; a tool name it cannot handle is a bug to fix there.
    throw new Error(`The recommended policy for ${JSON.stringify(risk.name)} is not valid: ${validation.errors.map((e) => `${e.path} ${e.message}`).join("; ")}`);
  }
  const compiled = compilePolicy(validation.document).match(risk.name);
  const lines = compiled ? describeRule(compiled) : [];
  const explanation = [
    ...(lines.length > 0 ? lines : [`${risk.name} is allowed, without limits.`]),
    "Every other tool of the server is denied until you add a rule for it.",
  ];
  return { rule: recommendRule(risk) as Record<string, unknown>, policy: policy as unknown as Record<string, unknown>, explanation };
}
