// Policy tests: the example calls a policy carries, each evaluated and compared with the decision it expects.
import type { CompiledPolicy } from "@/lib/policy/compile";
import { evaluate } from "@/lib/policy/evaluate";
import { pointerChild } from "@/lib/policy/json-position";
import { EXAMPLES_PATTERN_STEPS, patternBudget as budgetOf, type PatternBudget } from "@/lib/policy/pattern-budget";
import type { DecisionKind, PolicyDecision, PolicyTest } from "@/lib/policy/types";

/** The clock examples run at (12:00:30 UTC), so their results, retry times included, never depend on the day. */
export const POLICY_TEST_TIME = Date.UTC(2025, 0, 1, 12, 0, 30);
export const POLICY_TEST_GRANT = "test-grant";
export const POLICY_TEST_SERVER = "test-server";

const examplesPatternBudget = () => budgetOf(EXAMPLES_PATTERN_STEPS, "this policy's examples together");

export interface PolicyTestResult {
  index: number;
  /** JSON Pointer of the example in the document, e.g. /tests/2. */
  path: string;
  /** The example's name, or "example 3" when it has none. */
  label: string;
  expected: DecisionKind;
  passed: boolean;
  decision: PolicyDecision;
  /** Why it failed, in a sentence; absent when it passed. */
  message?: string;
}

export interface PolicyTestRun {
  passed: number;
  failed: number;
  results: PolicyTestResult[];
}

export function runPolicyTests(
  compiled: CompiledPolicy,
  tests: readonly PolicyTest[] = compiled.document.tests ?? [],
  options: { now?: number; patternBudget?: PatternBudget } = {},
): PolicyTestRun {
  // The examples share one budget for pattern work, so a policy full of long examples cannot stall its check.
  const patternBudget = options.patternBudget ?? examplesPatternBudget();
  const results = tests.map((test, index): PolicyTestResult => {
    const usage = test.usage ?? {};
    patternBudget.overrun = false;
    const decision = evaluate(
      compiled,
      { tool: test.tool, args: test.args ?? {} },
      {
        now: options.now ?? POLICY_TEST_TIME,
        grantId: test.grant ?? POLICY_TEST_GRANT,
        serverId: POLICY_TEST_SERVER,
        usage: (_key, counter) => (Object.hasOwn(usage, counter) ? (usage[counter] ?? 0) : 0),
        patternBudget,
      },
    );
    // An example refused because the shared budget ran out was not decided at all, whatever it expects.
    const notDecided = patternBudget.overrun;
    const label = test.name ? `"${test.name}"` : `example ${index + 1}`;
    const passed = !notDecided && decision.decision === test.expect;
    const rule = decision.matchedRule === null ? "no rule matched, so the default applied" : `rule \`${decision.matchedRule}\` applied`;
    const message = notDecided
      ? `Test ${label} (\`${test.tool}\`) could not be decided: ${decision.violations?.[0]?.message ?? decision.reason} Shorten the example's values, or have fewer examples with long values.`
      : `Test ${label} (\`${test.tool}\`) expected ${test.expect} but got ${decision.decision} (${decision.code}; ${rule}): ${decision.reason}`;
    return {
      index,
      path: pointerChild("/tests", index),
      label,
      expected: test.expect,
      passed,
      decision,
      ...(passed ? {} : { message }),
    };
  });
  const passed = results.filter((r) => r.passed).length;
  return { passed, failed: results.length - passed, results };
}
