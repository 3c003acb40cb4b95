// The policy document (v1) as written by people, and the decisions the evaluator returns.
// The reference for every field is docs/policy-language.md.
import type { PatternBudget } from "@/lib/policy/pattern-budget";

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const RULE_ACTIONS = ["allow", "deny", "require_approval"] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

export const DEFAULT_ACTIONS = ["deny", "allow"] as const;
export type DefaultAction = (typeof DEFAULT_ACTIONS)[number];

export const LIMIT_WINDOWS = ["second", "minute", "hour", "day"] as const;
export type LimitWindow = (typeof LIMIT_WINDOWS)[number];

export const LIMIT_SCOPES = ["grant", "server"] as const;
export type LimitScope = (typeof LIMIT_SCOPES)[number];

export const DECISIONS = ["allow", "deny", "require_approval", "rate_limited"] as const;
export type DecisionKind = (typeof DECISIONS)[number];

export const JSON_TYPES = ["string", "number", "integer", "boolean", "object", "array", "null"] as const;
export type JsonType = (typeof JSON_TYPES)[number];

/** The longest a call may be held for a person's approval, and the hold used when a rule does not say. */
export const MAX_APPROVAL_TIMEOUT_SECONDS = 3600;
export const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 50;

/** One counter of a rule: at most `max` calls per fixed UTC `window`, counted per grant or per server. */
export interface PolicyLimit {
  counter: string;
  window: LimitWindow;
  max: number;
  scope: LimitScope;
}

/** The JSON Schema keywords an argument constraint may use (a subset of draft 2020-12). */
export interface ArgConstraint {
  type?: JsonType | JsonType[];
  enum?: JsonValue[];
  const?: JsonValue;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  items?: ArgConstraint;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, ArgConstraint>;
  required?: string[];
  additionalProperties?: boolean | ArgConstraint;
}

export interface PolicyRule {
  /** `allow` when omitted. */
  action?: RuleAction;
  /** Told to the agent when the rule stops a call. */
  reason?: string;
  limits?: PolicyLimit[];
  /** Argument name to the constraint its value must meet when the call passes it. */
  args?: Record<string, ArgConstraint>;
  /** How long a held call waits for a person; only on `require_approval` rules. */
  approval_timeout_seconds?: number;
}

/** An example call with the decision the policy must give it ("policy tests"). */
export interface PolicyTest {
  name?: string;
  tool: string;
  args?: JsonObject;
  expect: DecisionKind;
  /** The grant id the example call is made with; counters scoped to a grant are counted for it. */
  grant?: string;
  /** Calls already counted in the current window, by counter name. */
  usage?: Record<string, number>;
}

export interface PolicyDocument {
  version: "1";
  default: DefaultAction;
  tools: Record<string, PolicyRule>;
  tests?: PolicyTest[];
}

/** A problem found in a document: where (a JSON Pointer, RFC 6901) and what, in a sentence. */
export interface PolicyIssue {
  path: string;
  code: string;
  message: string;
}

export type DecisionCode =
  | "allowed"
  | "allowed_by_default"
  | "denied_by_rule"
  | "denied_by_default"
  | "argument_violation"
  | "rate_limited"
  | "approval_required"
  | "policy_error";

export interface ArgumentViolation {
  /** The top-level argument at fault. */
  arg: string;
  /** Where in the arguments, as written for people: `recipients[2]`, `options.mode`. */
  path: string;
  /** The JSON Schema keyword that failed, e.g. `maximum`. */
  keyword: string;
  message: string;
}

/** One counter checked for a call, with everything the counter store needs to count it exactly. */
export interface CounterCheck {
  /** Unique per counter, scope id and window start: the row a counter store increments. */
  key: string;
  counter: string;
  window: LimitWindow;
  max: number;
  scope: LimitScope;
  scopeId: string;
  /** Epoch milliseconds; the window is [windowStart, windowEnd). */
  windowStart: number;
  windowEnd: number;
  /** Calls already counted in this window, as reported by the context. */
  used: number;
  /** Present when the counter is at or over `max`: seconds until its window ends. */
  retryAfterSeconds?: number;
}

export interface PolicyDecision {
  readonly decision: DecisionKind;
  readonly code: DecisionCode;
  /** The tool pattern of the rule that applied, or null when the default did. */
  readonly matchedRule: string | null;
  /** A sentence for the agent: what happened and what it can do. */
  readonly reason: string;
  readonly violations?: readonly ArgumentViolation[];
  readonly counters: readonly CounterCheck[];
  /** Keys of the counters to increment when the call goes ahead (allow or held for approval). */
  readonly increment: readonly string[];
  readonly retryAfterSeconds?: number;
  readonly approvalTimeoutSeconds?: number;
}

export interface ToolCall {
  tool: string;
  /** The `arguments` of an MCP tools/call; absent or null means none. */
  args?: unknown;
}

/** What the evaluator needs from the world, passed in so evaluation stays a pure function. */
export interface EvaluationContext {
  /** Epoch milliseconds. */
  now: number;
  grantId: string;
  serverId: string;
  /** Calls already counted under `key` (see CounterCheck.key) in its current window. */
  usage(key: string, counter: string): number;
  /** Pattern work several calls share (a policy's examples), on top of each call's own limit. */
  patternBudget?: PatternBudget;
}
