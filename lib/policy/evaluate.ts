// The decision for one tool call: a pure function of the compiled policy, the call and the context (clock, ids and
// counter usage). It never writes anything; the result says which counters the caller must increment.
import { approvalReason, NONE, quoted, type CompiledPolicy, type CompiledRule } from "@/lib/policy/compile";
import { asSentence, showTyped } from "@/lib/policy/describe";
import { isGlob, MAX_TOOL_NAME_LENGTH } from "@/lib/policy/glob";
import { PatternUnavailableError } from "@/lib/policy/pattern-engine";
import type { ArgumentViolation, CounterCheck, EvaluationContext, PolicyDecision, ToolCall } from "@/lib/policy/types";

/**
 * Decides a call: find the one rule that applies (or the default) -> a deny rule refuses -> argument constraints ->
 * limits (a counter at or over its max refuses with a retry time) -> require_approval holds -> allow.
 */
export function evaluate(compiled: CompiledPolicy, call: ToolCall, ctx: EvaluationContext): PolicyDecision {
  if (call.tool.length > MAX_TOOL_NAME_LENGTH) return nameTooLong(call.tool.length);
  const rule = compiled.match(call.tool);
  return rule === null ? compiled.defaultDecision : decideByRule(rule, call, ctx);
}

/** Everything after matching; exported so other matchers (tests, the benchmark baseline) share the same decisions. */
export function decideByRule(rule: CompiledRule, call: ToolCall, ctx: EvaluationContext): PolicyDecision {
  if (rule.fixed.denied) return rule.fixed.denied;

  const args = call.args;
  if (args !== undefined && args !== null && (typeof args !== "object" || Array.isArray(args))) {
    // MCP arguments are an object; anything else is refused whatever the rule, so constraints cannot be sidestepped.
    return argumentViolation(rule, [
      { arg: "", path: "", keyword: "type", message: `The arguments must be an object; got ${showTyped(args)}.` },
    ]);
  }

  if (rule.args) {
    let violations: ArgumentViolation[] | null;
    try {
      violations = rule.checkArgs(call.args, ctx.patternBudget);
    } catch (error) {
      return policyError(rule, error instanceof PatternUnavailableError ? error.message : undefined);
    }
    if (violations) return argumentViolation(rule, violations);
  }

  if (rule.limits.length === 0) {
    const fixed = rule.fixed.allowed ?? rule.fixed.held;
    if (fixed) return fixed;
  }

  const now = ctx.now;
  const counters: CounterCheck[] = [];
  let retryAfterSeconds = 0;
  for (let k = 0; k < rule.limits.length; k++) {
    const limit = rule.limits[k]!;
    const windowStart = Math.floor(now / limit.windowMs) * limit.windowMs;
    const windowEnd = windowStart + limit.windowMs;
    const scopeId = limit.scope === "grant" ? ctx.grantId : ctx.serverId;
    // The scope id goes last: counter names and windows cannot contain ":", so any id is unambiguous.
    const key = `${limit.counter}:${limit.window}:${windowStart}:${limit.scope}:${scopeId}`;
    const used = ctx.usage(key, limit.counter);
    const check: CounterCheck = {
      key,
      counter: limit.counter,
      window: limit.window,
      max: limit.max,
      scope: limit.scope,
      scopeId,
      windowStart,
      windowEnd,
      used,
    };
    // Written so that a usage that is not a number counts as exhausted: a broken counter store fails closed.
    if (!(used < limit.max)) {
      check.retryAfterSeconds = Math.max(1, Math.ceil((windowEnd - now) / 1000));
      if (check.retryAfterSeconds > retryAfterSeconds) retryAfterSeconds = check.retryAfterSeconds;
    }
    counters.push(check);
  }

  if (retryAfterSeconds > 0) return rateLimited(rule, counters, retryAfterSeconds);

  const increment = counters.map((c) => c.key);
  if (rule.action === "require_approval") {
    return {
      decision: "require_approval",
      code: "approval_required",
      matchedRule: rule.pattern,
      reason: approvalReason(rule.pattern, rule.isGlob, rule.reason, rule.approvalTimeoutSeconds),
      counters,
      increment,
      approvalTimeoutSeconds: rule.approvalTimeoutSeconds,
    };
  }
  return {
    decision: "allow",
    code: "allowed",
    matchedRule: rule.pattern,
    reason: `Allowed by the policy rule for ${quoted(rule.pattern, rule.isGlob)}.`,
    counters,
    increment,
  };
}

function argumentViolation(rule: CompiledRule, violations: ArgumentViolation[]): PolicyDecision {
  const why = rule.reason ? ` ${asSentence(rule.reason)}` : "";
  return {
    decision: "deny",
    code: "argument_violation",
    matchedRule: rule.pattern,
    reason: `Refused by the policy rule for ${quoted(rule.pattern, rule.isGlob)}: ${violations.map((v) => v.message).join(" ")}${why} Change the arguments to meet the rule and call again.`,
    violations,
    counters: NONE,
    increment: NONE,
  };
}

function describeLimit(c: CounterCheck): string {
  const per = c.scope === "grant" ? "for each key" : "for this server across all keys";
  return `counter \`${c.counter}\` allows ${c.max} ${c.max === 1 ? "call" : "calls"} per ${c.window} ${per}, and ${c.max === 1 ? "it has" : "all have"} been used`;
}

function rateLimited(rule: CompiledRule, counters: CounterCheck[], retryAfterSeconds: number): PolicyDecision {
  const exhausted = counters.filter((c) => c.retryAfterSeconds !== undefined);
  const why = rule.reason ? ` ${asSentence(rule.reason)}` : "";
  return {
    decision: "rate_limited",
    code: "rate_limited",
    matchedRule: rule.pattern,
    reason: `Rate limited by the policy rule for ${quoted(rule.pattern, rule.isGlob)}: ${exhausted.map(describeLimit).join("; ")}.${why} Retry after ${retryAfterSeconds} ${retryAfterSeconds === 1 ? "second" : "seconds"}.`,
    counters,
    increment: NONE,
    retryAfterSeconds,
  };
}

/** Refused unmatched (and so hidden, like any tool the policy denies): matching it could take long. */
function nameTooLong(length: number): PolicyDecision {
  return {
    decision: "deny",
    code: "denied_by_default",
    matchedRule: null,
    reason: `Denied: the tool name is ${length.toLocaleString("en-US")} characters long, and the policy only matches names of up to ${MAX_TOOL_NAME_LENGTH.toLocaleString("en-US")}. Do not retry this call.`,
    counters: NONE,
    increment: NONE,
  };
}

function policyError(rule: CompiledRule, detail: string | undefined): PolicyDecision {
  const why = detail ? ` ${detail}` : "";
  return {
    decision: "deny",
    code: "policy_error",
    matchedRule: rule.pattern,
    reason: `Refused: the argument constraints of the policy rule for ${quoted(rule.pattern, rule.isGlob)} could not be checked.${why} Do not retry; tell the workspace owner.`,
    counters: NONE,
    increment: NONE,
  };
}

/**
 * Turns a decision into `rate_limited` after the counter store refused to increment some of its keys. Usage read
 * before a decision can be stale when several gateway instances count at once; the store's atomic
 * "increment if below max" is the final word, and this keeps the answer to the agent the same either way.
 */
export function markRateLimited(decision: PolicyDecision, exhaustedKeys: readonly string[], now: number): PolicyDecision {
  const rule = decision.matchedRule;
  if (rule === null || exhaustedKeys.length === 0) return decision;
  let retryAfterSeconds = 0;
  const counters = decision.counters.map((c) => {
    if (!exhaustedKeys.includes(c.key)) return c;
    const retry = Math.max(1, Math.ceil((c.windowEnd - now) / 1000));
    retryAfterSeconds = Math.max(retryAfterSeconds, retry);
    return { ...c, used: Math.max(c.used, c.max), retryAfterSeconds: retry };
  });
  if (retryAfterSeconds === 0) return decision;
  const exhausted = counters.filter((c) => c.retryAfterSeconds !== undefined);
  return {
    decision: "rate_limited",
    code: "rate_limited",
    matchedRule: rule,
    reason: `Rate limited by the policy rule for ${quoted(rule, isGlob(rule))}: ${exhausted.map(describeLimit).join("; ")}. Retry after ${retryAfterSeconds} ${retryAfterSeconds === 1 ? "second" : "seconds"}.`,
    counters,
    increment: NONE,
    retryAfterSeconds,
  };
}
