// Warnings point at parts of a valid policy that do nothing (rules for tools the server lacks, rules that can never
// apply, limits that never count) or that clients cannot wait for (an approval timeout past the SDKs' request
// timeout). They never block a save, so each check errs on the side of staying quiet.
import { compilePolicy, quoted, type CompiledRule } from "@/lib/policy/compile";
import { closest, listAnd, plural } from "@/lib/policy/describe";
import { globAffixes, globCovers, globMatch, MAX_TOOL_NAME_LENGTH } from "@/lib/policy/glob";
import { pointerChild } from "@/lib/policy/json-position";
import type { ArgConstraint, PolicyDocument, PolicyIssue } from "@/lib/policy/types";

export interface WarningContext {
  /** The names of the server's tools; without them only the checks that need no server are made. */
  toolNames?: readonly string[];
}

const SHOWN_NAMES = 5;
/** How long the official MCP SDKs wait for a request's answer by default. */
const CLIENT_REQUEST_TIMEOUT_SECONDS = 60;

function names(list: readonly string[]): string {
  const shown = list.slice(0, SHOWN_NAMES).map((n) => `\`${n}\``);
  if (list.length > SHOWN_NAMES) shown.push(`${list.length - SHOWN_NAMES} more`);
  return listAnd(shown);
}

/** A higher-ranked glob that matches every name `rule` matches, if any (so `rule` can never apply). */
function coveringGlob(rule: CompiledRule, earlier: readonly CompiledRule[]): CompiledRule | undefined {
  const own = globAffixes(rule.pattern);
  return earlier.find((other) => {
    const { prefix, suffix } = globAffixes(other.pattern);
    // Quick rejection: the literal ends of the wider pattern must be ends of this one's.
    if (!own.prefix.startsWith(prefix) || !own.suffix.endsWith(suffix)) return false;
    return globCovers(other.pattern, rule.pattern);
  });
}

function unsatisfiable(schema: ArgConstraint, path: string, where: string, out: PolicyIssue[]): void {
  const pairs: [keyof ArgConstraint, keyof ArgConstraint, (lo: number, hi: number) => boolean, string][] = [
    ["minimum", "maximum", (lo, hi) => lo > hi, "is more than"],
    ["exclusiveMinimum", "maximum", (lo, hi) => lo >= hi, "is not less than"],
    ["minimum", "exclusiveMaximum", (lo, hi) => lo >= hi, "is not less than"],
    ["exclusiveMinimum", "exclusiveMaximum", (lo, hi) => lo >= hi, "is not less than"],
    ["minLength", "maxLength", (lo, hi) => lo > hi, "is more than"],
    ["minItems", "maxItems", (lo, hi) => lo > hi, "is more than"],
  ];
  for (const [low, high, impossible, verb] of pairs) {
    const lo = schema[low];
    const hi = schema[high];
    if (typeof lo === "number" && typeof hi === "number" && impossible(lo, hi)) {
      out.push({
        path: pointerChild(path, low),
        code: "unsatisfiable_constraint",
        message: `The constraint on \`${where}\` can never be met: ${low} ${lo} ${verb} ${high} ${hi}, so every call that passes \`${where}\` is refused.`,
      });
    }
  }
  if (schema.items) unsatisfiable(schema.items, pointerChild(path, "items"), `${where}[]`, out);
  for (const [prop, sub] of Object.entries(schema.properties ?? {})) {
    unsatisfiable(sub, pointerChild(pointerChild(path, "properties"), prop), `${where}.${prop}`, out);
  }
}

/** Warnings for a valid policy, in document order; `context.toolNames` enables the checks against the server. */
export function policyWarnings(document: PolicyDocument, context: WarningContext = {}): PolicyIssue[] {
  const compiled = compilePolicy(document, { cacheSize: 0 });
  const byPattern = new Map(compiled.rules.map((r) => [r.pattern, r]));
  const globs = compiled.rules.filter((r) => r.isGlob);
  // Names the gateway refuses unmatched are left out: globs are not matched against them, here either.
  const toolNames = context.toolNames ? [...new Set(context.toolNames)].filter((t) => t.length <= MAX_TOOL_NAME_LENGTH) : undefined;
  const winners = new Map<string, CompiledRule | null>();
  for (const tool of toolNames ?? []) winners.set(tool, compiled.match(tool));

  const warnings: PolicyIssue[] = [];
  const everyName = globs.find((r) => /^\*+$/.test(r.pattern));
  if (everyName) {
    warnings.push({
      path: "/default",
      code: "default_unused",
      message: `\`default\` never applies: the rule for \`${everyName.pattern}\` matches every tool name.`,
    });
  }

  for (const [pattern, source] of Object.entries(document.tools)) {
    const rule = byPattern.get(pattern);
    if (!rule) continue;
    const path = pointerChild("/tools", pattern);
    const subject = `The rule for ${quoted(pattern, rule.isGlob)}`;

    const cover = rule.isGlob ? coveringGlob(rule, globs.slice(0, globs.indexOf(rule))) : undefined;
    if (cover) {
      warnings.push({
        path,
        code: "shadowed_rule",
        message: `${subject} never applies: every name it matches is matched first by the more specific rule \`${cover.pattern}\` (see the precedence rules).`,
      });
    } else if (toolNames) {
      if (!rule.isGlob) {
        if (!winners.has(pattern)) {
          const guess = closest(pattern, toolNames);
          warnings.push({
            path,
            code: "unknown_tool",
            message: `This server has no tool named \`${pattern}\`${guess ? ` (did you mean \`${guess}\`?)` : ""}: the rule has no effect unless such a tool appears.`,
          });
        }
      } else {
        const matched = toolNames.filter((t) => globMatch(pattern, t));
        if (matched.length === 0) {
          warnings.push({
            path,
            code: "no_matching_tool",
            message: `The pattern \`${pattern}\` matches none of this server's ${plural(toolNames.length, "tool")}: the rule has no effect for now.`,
          });
        } else if (matched.every((t) => winners.get(t) !== rule)) {
          const others = [...new Set(matched.map((t) => winners.get(t)?.pattern ?? ""))];
          warnings.push({
            path,
            code: "shadowed_rule",
            message: `${subject} applies to none of this server's tools: ${names(matched)} ${matched.length === 1 ? "has" : "each have"} a more specific rule (${names(others)}).`,
          });
        }
      }
    }

    if (rule.action === "deny" && (source.limits?.length ?? 0) > 0) {
      warnings.push({
        path: pointerChild(path, "limits"),
        code: "limit_never_counts",
        message: "Limits on a deny rule never count: its calls are refused before any counter is checked. Remove the limits or change the action.",
      });
    }
    for (const [arg, schema] of Object.entries(source.args ?? {})) {
      unsatisfiable(schema, pointerChild(pointerChild(path, "args"), arg), arg, warnings);
    }
    if (rule.action === "require_approval" && (source.approval_timeout_seconds ?? 0) >= CLIENT_REQUEST_TIMEOUT_SECONDS) {
      warnings.push({
        path: pointerChild(path, "approval_timeout_seconds"),
        code: "approval_outlasts_clients",
        message: `Most MCP clients give up on a request after ${CLIENT_REQUEST_TIMEOUT_SECONDS} seconds (the official SDKs' default): with ${source.approval_timeout_seconds}, they get their own timeout error instead of the gateway's "pending approval" answer. Keep it under ${CLIENT_REQUEST_TIMEOUT_SECONDS} unless your clients wait longer.`,
      });
    }
    if (rule.action === "deny" && source.args && Object.keys(source.args).length > 0) {
      warnings.push({
        path: pointerChild(path, "args"),
        code: "args_never_checked",
        message: "Argument constraints on a deny rule are never checked: its calls are refused whatever their arguments.",
      });
    }
  }
  return warnings;
}
