// A rule the catalog recommends, merged into the policy editor's draft ("Use this policy"). The merge never
// overwrites: a tool that already has a rule of its own is reported as a conflict, for the person to decide.
import { canonicalJson, compilePolicy, normalizeRule, validatePolicy, type PolicyDocument, type PolicyRule } from "@/lib/policy";
import { isPlainObject } from "@/lib/json/is-plain-object";
import { policyToText } from "@/components/policy/policy-text";

export interface RuleProposal {
  tool: string;
  rule: Record<string, unknown>;
  /** The catalog server it comes from, and the tool's catalog page. */
  source: { serverName: string; serverTitle: string | null; href: string };
}

export type ProposalMerge =
  /** The rule is in the new text. `coveredBy`: the glob that decided calls to the tool before (the exact rule now wins). */
  | { kind: "added"; text: string; coveredBy: string | null }
  /** The policy already has this very rule for the tool. */
  | { kind: "same" }
  /** The policy has another rule for the tool: nothing was changed. */
  | { kind: "conflict"; existing: unknown }
  /** The text is not a policy object with a tools map, so there is nowhere to put the rule. */
  | { kind: "unreadable" };

function readDocument(text: string): (Record<string, unknown> & { tools: Record<string, unknown> }) | null {
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) && isPlainObject(value.tools) ? (value as Record<string, unknown> & { tools: Record<string, unknown> }) : null;
  } catch {
    return null;
  }
}

/** Equal in meaning (an omitted action is allow; limits in any order), or else in their JSON. */
function sameRule(a: unknown, b: unknown): boolean {
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  try {
    return canonicalJson(normalizeRule(a as PolicyRule)) === canonicalJson(normalizeRule(b as PolicyRule));
  } catch {
    // A rule the validator would refuse cannot be normalised; compare it as written.
    return canonicalJson(a) === canonicalJson(b);
  }
}

export function mergeProposedRule(text: string, tool: string, rule: Record<string, unknown>): ProposalMerge {
  const document = readDocument(text);
  if (!document) return { kind: "unreadable" };
  if (Object.hasOwn(document.tools, tool)) {
    const existing = document.tools[tool];
    return sameRule(existing, rule) ? { kind: "same" } : { kind: "conflict", existing };
  }
  const validation = validatePolicy(document);
  const before = validation.ok ? compilePolicy(validation.document).match(tool) : null;
  return {
    kind: "added",
    text: policyToText({ ...document, tools: { ...document.tools, [tool]: rule } } as unknown as PolicyDocument),
    coveredBy: before?.isGlob ? before.pattern : null,
  };
}

/** The text with the tool's rule replaced by `rule`, when the person chose the catalog's over their own. */
export function replaceRule(text: string, tool: string, rule: Record<string, unknown>): string | null {
  const document = readDocument(text);
  if (!document) return null;
  return policyToText({ ...document, tools: { ...document.tools, [tool]: rule } } as unknown as PolicyDocument);
}
