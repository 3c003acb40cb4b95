import { describe, expect, it } from "vitest";
import { compilePolicy } from "@/lib/policy/compile";
import { compileStoredPolicy } from "@/lib/policy/compile-stored-policy";
import { evaluate } from "@/lib/policy/evaluate";
import { CALL_PATTERN_STEPS, EXAMPLES_PATTERN_STEPS, MAX_PATTERN_VALUE_LENGTH } from "@/lib/policy/pattern-budget";
import { runPolicyTests } from "@/lib/policy/run-policy-tests";
import { validatePolicy } from "@/lib/policy/schema";
import type { ArgConstraint, EvaluationContext, PolicyDecision, PolicyTest } from "@/lib/policy/types";

const context: EvaluationContext = { now: Date.UTC(2025, 0, 1), grantId: "g", serverId: "s", usage: () => 0 };

function policy(args: Record<string, ArgConstraint>, tests?: PolicyTest[]) {
  const valid = validatePolicy({ version: "1", default: "deny", tools: { t: { args }, other: {} }, ...(tests ? { tests } : {}) });
  if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
  return compilePolicy(valid.document);
}

const decide = (args: Record<string, ArgConstraint>, call: unknown): PolicyDecision => evaluate(policy(args), { tool: "t", args: call }, context);

describe("values checked by a pattern are bounded", () => {
  it(`checks a value of ${MAX_PATTERN_VALUE_LENGTH} characters and refuses a longer one unchecked`, () => {
    const args = { path: { pattern: "^a+$" } };
    expect(decide(args, { path: "a".repeat(MAX_PATTERN_VALUE_LENGTH) }).code).toBe("allowed");
    const refused = decide(args, { path: "a".repeat(MAX_PATTERN_VALUE_LENGTH + 1) });
    expect(refused).toMatchObject({ decision: "deny", code: "argument_violation" });
    expect(refused.violations).toEqual([
      { arg: "path", path: "path", keyword: "pattern", message: "`path` is 65,537 characters long, over the 65,536 a value checked against a pattern may have, so it was not checked." },
    ]);
  });

  it("leaves values no pattern checks unbounded", () => {
    expect(decide({ path: { pattern: "^a+$" }, body: { maxLength: 200_000 } }, { body: "b".repeat(100_000) }).code).toBe("allowed");
  });

  it("finds the values a pattern applies to in items, properties and additional properties", () => {
    const long = "a".repeat(MAX_PATTERN_VALUE_LENGTH + 1);
    const args: Record<string, ArgConstraint> = {
      to: { items: { pattern: "^a+$" } },
      options: { properties: { mode: { pattern: "^a+$" } }, additionalProperties: { pattern: "^b+$" } },
    };
    const refused = decide(args, { to: ["a", long], options: { mode: long, extra: long, n: 5 } });
    expect(refused.violations?.map((v) => [v.arg, v.path])).toEqual([
      ["options", "options.extra"],
      ["options", "options.mode"],
      ["to", "to[1]"],
    ]);
    expect(decide(args, { to: ["a", "aa"], options: { mode: "a", extra: "b" } }).code).toBe("allowed");
  });

  it(`refuses, unchecked, a call whose pattern work would pass ${CALL_PATTERN_STEPS.toLocaleString("en-US")} steps`, () => {
    // `^[ab]*a[ab]{900}$` compiles to 907 instructions: 1,155 characters is the most one call may check against it.
    const args = { v: { pattern: "^[ab]*a[ab]{900}$" } };
    expect(decide(args, { v: "ab".repeat(577) }).violations?.[0]?.message).toMatch(/must match the regular expression/);
    const refused = decide(args, { v: "ab".repeat(600) });
    expect(refused.violations).toEqual([
      expect.objectContaining({
        path: "v",
        message: "`v` was not checked against its pattern: checking it would bring the pattern work of one call to 1,089,307 steps (each value's length plus one, times its pattern's size), over the 1,048,576 allowed.",
      }),
    ]);
    // Many short values add up the same way.
    const many = decide({ v: { items: { pattern: "^[ab]*a[ab]{900}$" } } }, { v: Array.from({ length: 20 }, () => "ab".repeat(30)) });
    expect(many.violations?.[0]).toMatchObject({ path: "v[18]", message: expect.stringContaining("over the 1,048,576 allowed") });
  });

  it("decides a call at the budget quickly, even for a pattern whose DFA cannot help", () => {
    const compiled = policy({ v: { pattern: "^[ab]*a[ab]{900}$" } });
    evaluate(compiled, { tool: "t", args: { v: "a" } }, context);
    let x = 7;
    const random = Array.from({ length: 1_150 }, () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) >> 8) % 2 === 0 ? "a" : "b").join("");
    const started = process.cpuUsage();
    evaluate(compiled, { tool: "t", args: { v: random } }, context);
    const used = process.cpuUsage(started);
    // About 15 ms of CPU on the 2-core machine this was written on; 8 MB DFAs made it 150 ms. Generous on purpose.
    expect((used.user + used.system) / 1000).toBeLessThan(500);
  });
});

describe("a stored policy with a pattern the engine cannot run", () => {
  const stored = { version: "1", default: "deny", tools: { send: { args: { to: { pattern: "^(?!admin@).*@example\\.com$" } } }, list: {} } };

  it("is refused when saved", () => {
    expect(validatePolicy(stored).errors).toEqual([expect.objectContaining({ path: "/tools/send/args/to/pattern", code: "unsupported_pattern" })]);
  });

  it("refuses the calls of the rule that uses it, with the reason, and keeps the other rules", () => {
    const compiled = compileStoredPolicy(stored);
    if (!compiled) throw new Error("expected a compiled policy");
    const refused = evaluate(compiled, { tool: "send", args: { to: "bob@example.com" } }, context);
    expect(refused).toMatchObject({ decision: "deny", code: "policy_error", matchedRule: "send" });
    expect(refused.reason).toBe(
      "Refused: the argument constraints of the policy rule for `send` could not be checked. The `pattern` on `to` (`^(?!admin@).*@example\\.com$`) uses negative lookahead (`(?!`), which the linear-time regular expression engine (RE2) does not support: rewrite the pattern without it (RE2 has no backreferences or lookaround). Do not retry; tell the workspace owner.",
    );
    // Refused even when the argument is left out: the rule's constraints cannot be checked at all.
    expect(evaluate(compiled, { tool: "send", args: {} }, context).code).toBe("policy_error");
    expect(evaluate(compiled, { tool: "list", args: {} }, context).code).toBe("allowed");
  });

  it("does not save a document broken in other ways", () => {
    expect(compileStoredPolicy({ ...stored, default: "maybe" })).toBeNull();
    expect(compileStoredPolicy({ version: "1", default: "allow" })?.defaultAction).toBe("allow");
  });
});

describe("a policy's examples share a budget for pattern work", () => {
  const args = { v: { pattern: "^[ab]*a[ab]{900}$" } };
  // 1,001 characters against 907 instructions: 908,814 steps, under one call's budget; three of them are not.
  const example = (name: string): PolicyTest => ({ name, tool: "t", args: { v: "ab".repeat(500) + "x" }, expect: "deny" });

  it(`stops deciding examples once they have spent ${EXAMPLES_PATTERN_STEPS.toLocaleString("en-US")} steps, and says so`, () => {
    const compiled = policy(args, [example("one"), example("two"), example("three"), { tool: "other", expect: "allow" }]);
    const run = runPolicyTests(compiled);
    expect(run.results.map((r) => r.passed)).toEqual([true, true, false, true]);
    expect(run.results[2]?.message).toMatch(
      /^Test "three" \(`t`\) could not be decided: `v` was not checked against its pattern: checking it would bring the pattern work of this policy's examples together to 2,726,442 steps .*over the 2,097,152 allowed\. Shorten the example's values/,
    );
  });

  it("gives each example the same decision as the gateway within the budget", () => {
    const compiled = policy(args);
    const gateway = evaluate(compiled, { tool: "t", args: { v: "ab".repeat(600) } }, context);
    const run = runPolicyTests(compiled, [{ tool: "t", args: { v: "ab".repeat(600) }, expect: "deny" }]);
    expect(run.results[0]).toMatchObject({ passed: true, decision: { code: gateway.code, reason: gateway.reason } });
  });
});
