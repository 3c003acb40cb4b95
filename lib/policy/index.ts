// The policy core: pure functions from policy text to decisions. See docs/policy-language.md.
export * from "@/lib/policy/types";
export { validatePolicy, CONSTRAINT_KEYWORDS, COUNTER_NAME, type PolicyValidation } from "@/lib/policy/schema";
export {
  parseJsonWithSourceMap,
  locatePointer,
  jsonPointerPosition,
  offsetToPosition,
  pointerOf,
  pointerChild,
  parsePointer,
  escapePointerSegment,
  type SourcePosition,
  type SourceRange,
  type JsonSyntaxError,
  type JsonSourceMap,
} from "@/lib/policy/json-position";
export { globMatch, compareGlobs, globSpecificity, isGlob, globCovers, MAX_TOOL_NAME_LENGTH } from "@/lib/policy/glob";
export {
  compilePolicy,
  matchByScan,
  WINDOW_MS,
  type CompiledPolicy,
  type CompiledRule,
  type CompiledLimit,
  type CompileOptions,
} from "@/lib/policy/compile";
export { evaluate, decideByRule, markRateLimited } from "@/lib/policy/evaluate";
export { policyWarnings, type WarningContext } from "@/lib/policy/warnings";
export {
  narrowTool,
  narrowInputSchema,
  mergeConstraint,
  presentTool,
  describeRule,
  describeConstraint,
  type ToolListing,
} from "@/lib/policy/narrow-schema";
export { normalizePolicy, normalizeRule, normalizeConstraint, policiesEquivalent } from "@/lib/policy/normalize";
export {
  runPolicyTests,
  POLICY_TEST_TIME,
  POLICY_TEST_GRANT,
  POLICY_TEST_SERVER,
  type PolicyTestResult,
  type PolicyTestRun,
} from "@/lib/policy/run-policy-tests";
export { parsePolicyText, checkPolicyText, type LocatedIssue, type PolicyParse, type PolicyCheck } from "@/lib/policy/check";
export { canonicalJson } from "@/lib/policy/canonical-json";
export { compilePattern, MAX_PATTERN_SIZE, type PatternCompilation, type PolicyPattern } from "@/lib/policy/pattern-engine";
export {
  CALL_PATTERN_STEPS,
  EXAMPLES_PATTERN_STEPS,
  MAX_PATTERN_VALUE_LENGTH,
  MAX_POLICY_PATTERN_SIZE,
  type PatternBudget,
} from "@/lib/policy/pattern-budget";
export { compileStoredPolicy } from "@/lib/policy/compile-stored-policy";
