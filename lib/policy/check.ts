// From policy text to everything an editor, the API or the CLI shows: errors and warnings placed at their line,
// the compiled policy, and the results of its examples.
import { compilePolicy, type CompiledPolicy } from "@/lib/policy/compile";
import { locatePointer, parseJsonWithSourceMap, parsePointer, type SourceRange } from "@/lib/policy/json-position";
import { runPolicyTests, type PolicyTestRun } from "@/lib/policy/run-policy-tests";
import { validatePolicy } from "@/lib/policy/schema";
import type { PolicyDocument, PolicyIssue } from "@/lib/policy/types";
import { policyWarnings, type WarningContext } from "@/lib/policy/warnings";

export interface LocatedIssue extends PolicyIssue {
  range: SourceRange;
}

export type PolicyParse =
  | { ok: true; document: PolicyDocument; errors: []; locate: (path: string) => SourceRange }
  | { ok: false; errors: LocatedIssue[] };

/** Parses and validates policy text; every error carries its JSON Pointer and its place in the text. */
export function parsePolicyText(text: string): PolicyParse {
  const parsed = parseJsonWithSourceMap(text);
  if (!parsed.ok) {
    const at = parsed.error.position;
    return { ok: false, errors: [{ path: "", code: "syntax", message: parsed.error.message, range: { start: at, end: at } }] };
  }
  const locate = (path: string) => locatePointer(parsed.sourceMap, path);
  const duplicates: LocatedIssue[] = parsed.duplicateKeys.map((path) => {
    const key = parsePointer(path).at(-1) ?? "";
    return {
      path,
      code: "duplicate_key",
      message: `The key ${JSON.stringify(key)} appears more than once in this object; JSON keeps only the last one, so remove or rename the others.`,
      range: locate(path),
    };
  });
  const validation = validatePolicy(parsed.value);
  // In the order they appear in the text, as an editor or a terminal lists them.
  const errors = [...duplicates, ...validation.errors.map((e) => ({ ...e, range: locate(e.path) }))].sort(
    (a, b) => a.range.start.offset - b.range.start.offset,
  );
  if (errors.length > 0 || !validation.ok) return { ok: false, errors };
  return { ok: true, document: validation.document, errors: [], locate };
}

export interface PolicyCheck {
  /** True when the policy is valid and every example passes: what a save requires. */
  ok: boolean;
  document?: PolicyDocument;
  compiled?: CompiledPolicy;
  errors: LocatedIssue[];
  warnings: LocatedIssue[];
  tests?: PolicyTestRun;
  /** The failing examples as issues at their place in the text. */
  testFailures: LocatedIssue[];
}

export function checkPolicyText(text: string, context: WarningContext = {}): PolicyCheck {
  const parse = parsePolicyText(text);
  if (!parse.ok) return { ok: false, errors: parse.errors, warnings: [], testFailures: [] };
  const { document, locate } = parse;
  const compiled = compilePolicy(document);
  const warnings = policyWarnings(document, context).map((w) => ({ ...w, range: locate(w.path) }));
  const tests = runPolicyTests(compiled);
  const testFailures = tests.results
    .filter((r) => !r.passed)
    .map((r) => ({ path: r.path, code: "test_failed", message: r.message ?? "", range: locate(r.path) }));
  return { ok: testFailures.length === 0, document, compiled, errors: [], warnings, tests, testFailures };
}
