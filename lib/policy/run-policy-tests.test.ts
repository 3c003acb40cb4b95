import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPolicyText, parsePolicyText } from "@/lib/policy/check";
import { compilePolicy } from "@/lib/policy/compile";
import { runPolicyTests } from "@/lib/policy/run-policy-tests";
import type { PolicyDocument } from "@/lib/policy/types";

const DOC: PolicyDocument = {
  version: "1",
  default: "deny",
  tools: {
    "get_*": {},
    refund: {
      action: "require_approval",
      args: { amount: { maximum: 100 } },
      limits: [{ counter: "refunds", window: "hour", max: 2, scope: "grant" }],
    },
    "delete_*": { action: "deny", reason: "Deleting is for people." },
  },
  tests: [
    { name: "reads are fine", tool: "get_user", expect: "allow" },
    { tool: "delete_repo", expect: "deny" },
    { name: "small refund held", tool: "refund", args: { amount: 10 }, expect: "require_approval" },
    { name: "big refund refused", tool: "refund", args: { amount: 1000 }, expect: "deny" },
    { name: "third refund in an hour", tool: "refund", args: { amount: 10 }, usage: { refunds: 2 }, expect: "rate_limited" },
    { name: "unknown tool", tool: "launch", expect: "deny" },
  ],
};

describe("runPolicyTests", () => {
  it("passes examples whose decision matches", () => {
    const run = runPolicyTests(compilePolicy(DOC));
    expect(run.failed).toBe(0);
    expect(run.passed).toBe(6);
    expect(run.results.map((r) => r.label)).toEqual([
      '"reads are fine"',
      "example 2",
      '"small refund held"',
      '"big refund refused"',
      '"third refund in an hour"',
      '"unknown tool"',
    ]);
  });

  it("explains a failing example with the decision it got and why", () => {
    const run = runPolicyTests(compilePolicy({ ...DOC, tests: [{ name: "oops", tool: "delete_repo", expect: "allow" }] }));
    expect(run.failed).toBe(1);
    expect(run.results[0]).toMatchObject({ index: 0, path: "/tests/0", passed: false, expected: "allow" });
    expect(run.results[0]?.message).toBe(
      'Test "oops" (`delete_repo`) expected allow but got deny (denied_by_rule; rule `delete_*` applied): Denied by the policy rule for tools matching `delete_*`: Deleting is for people. Do not retry this call.',
    );
  });

  it("counts usage per counter name and scopes examples to their grant", () => {
    const doc: PolicyDocument = {
      version: "1",
      default: "deny",
      tools: { t: { limits: [{ counter: "constructor", window: "minute", max: 1, scope: "grant" }] } },
      tests: [
        { tool: "t", expect: "allow" },
        { tool: "t", usage: { constructor: 1 }, expect: "rate_limited", grant: "other" },
      ],
    };
    const run = runPolicyTests(compilePolicy(doc));
    expect(run.results.map((r) => r.passed)).toEqual([true, true]);
    expect(run.results[1]?.decision.counters[0]?.scopeId).toBe("other");
  });
});

describe("checkPolicyText", () => {
  const text = JSON.stringify(DOC, null, 2);

  it("validates, compiles, warns and runs the examples of a good policy", () => {
    const check = checkPolicyText(text, { toolNames: ["get_user", "refund", "delete_repo"] });
    expect(check).toMatchObject({ ok: true, errors: [], warnings: [], testFailures: [] });
    expect(check.tests?.passed).toBe(6);
  });

  it("places a failing example at its line", () => {
    const failing = text.replace('"expect": "rate_limited"', '"expect": "allow"');
    const check = checkPolicyText(failing);
    expect(check.ok).toBe(false);
    expect(check.errors).toEqual([]);
    expect(check.testFailures).toHaveLength(1);
    expect(check.testFailures[0]?.path).toBe("/tests/4");
    const line = failing.split("\n").findIndex((l) => l.includes('"name": "third refund in an hour"'));
    // The example object starts on the line before its first key.
    expect(check.testFailures[0]?.range.start.line).toBe(line);
  });

  it("places validation errors at their line and column, in text order", () => {
    const broken = `{
  "version": "1",
  "default": "deny",
  "tools": {
    "get_*": { "limits": [
      { "counter": "c", "window": "minutes", "max": 0, "scope": "grant" }
    ] }
  },
  "version": "1"
}`;
    const parse = parsePolicyText(broken);
    expect(parse.ok).toBe(false);
    expect(parse.errors.map((e) => [e.path, e.range.start.line, e.range.start.column])).toEqual([
      ["/tools/get_*/limits/0/window", 6, 25],
      ["/tools/get_*/limits/0/max", 6, 46],
      ["/version", 9, 3],
    ]);
    expect(parse.errors[2]?.message).toMatch(/The key "version" appears more than once/);
  });

  it("never throws, on any text or any JSON value", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ version: "1", default: "deny", tools: { t: v }, tests: [v] }))), (input) => {
        const check = checkPolicyText(input);
        expect(check.ok || check.errors.length > 0 || check.testFailures.length > 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("turns a syntax error into one error with its position", () => {
    const check = checkPolicyText('{\n  "version": "1",\n  "default": "deny",\n}');
    expect(check.errors).toEqual([
      {
        path: "",
        code: "syntax",
        message: "Trailing comma: JSON does not allow a comma after the last property.",
        range: { start: { line: 3, column: 20, offset: 39 }, end: { line: 3, column: 20, offset: 39 } },
      },
    ]);
  });
});
