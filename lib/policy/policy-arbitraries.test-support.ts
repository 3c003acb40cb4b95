// fast-check generators of valid policies and of calls against them, shared by the property-based tests.
import fc from "fast-check";
import type { ArgConstraint, JsonObject, PolicyDocument, PolicyLimit, PolicyRule, PolicyTest } from "@/lib/policy/types";

/** Names over a small alphabet so that patterns and names collide often. */
export const toolName = fc.stringMatching(/^[abc_]{1,5}$/);
export const toolPattern = fc.oneof(toolName, fc.stringMatching(/^[abc_*?]{1,5}$/));

/** Counters with one definition each, so generated documents always agree on them. */
export const COUNTERS: Record<string, PolicyLimit> = {
  calls: { counter: "calls", window: "minute", max: 3, scope: "grant" },
  burst: { counter: "burst", window: "second", max: 1, scope: "server" },
  daily: { counter: "daily", window: "day", max: 5, scope: "grant" },
};

const scalar = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom("x", "yy", "zzz", ""), fc.boolean(), fc.constant(null));

const leafConstraint: fc.Arbitrary<ArgConstraint> = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom("string", "number", "integer", "boolean", "array", "object", "null" as const),
      fc.constant(["string", "number"] as ArgConstraint["type"]),
    ),
    enum: fc.array(scalar, { minLength: 1, maxLength: 3 }),
    const: scalar,
    pattern: fc.constantFrom("^y", "z$", "[xy]"),
    minimum: fc.integer({ min: -3, max: 3 }),
    maximum: fc.integer({ min: -3, max: 3 }),
    exclusiveMinimum: fc.integer({ min: -3, max: 3 }),
    exclusiveMaximum: fc.integer({ min: -3, max: 3 }),
    multipleOf: fc.constantFrom(1, 2, 0.5),
    minLength: fc.integer({ min: 0, max: 3 }),
    maxLength: fc.integer({ min: 0, max: 3 }),
    minItems: fc.integer({ min: 0, max: 2 }),
    maxItems: fc.integer({ min: 0, max: 2 }),
    uniqueItems: fc.boolean(),
    required: fc.constantFrom(["a"], ["a", "b"], []),
    additionalProperties: fc.boolean(),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<ArgConstraint>;

export const constraint: fc.Arbitrary<ArgConstraint> = fc
  .tuple(leafConstraint, fc.option(leafConstraint, { nil: undefined }), fc.option(fc.dictionary(fc.constantFrom("a", "b"), leafConstraint, { maxKeys: 2 }), { nil: undefined }))
  .map(([base, items, properties]) => ({ ...base, ...(items ? { items } : {}), ...(properties ? { properties } : {}) }));

export const rule: fc.Arbitrary<PolicyRule> = fc
  .record(
    {
      action: fc.constantFrom("allow", "deny", "require_approval" as const),
      reason: fc.constantFrom("Ask first.", "Money moves need a person."),
      limits: fc.subarray(Object.values(COUNTERS)),
      args: fc.dictionary(fc.constantFrom("a", "b", "c"), constraint, { maxKeys: 3 }),
      approval_timeout_seconds: fc.integer({ min: 1, max: 3600 }),
    },
    { requiredKeys: [] },
  )
  .map((r) => {
    const { approval_timeout_seconds, ...rest } = r;
    return r.action === "require_approval" && approval_timeout_seconds !== undefined ? { ...rest, approval_timeout_seconds } : rest;
  });

export const callArgs: fc.Arbitrary<JsonObject> = fc.dictionary(
  fc.constantFrom("a", "b", "c", "d"),
  fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.constantFrom("a", "b", "c"), scalar, { maxKeys: 2 })),
  { maxKeys: 4 },
);

const test: fc.Arbitrary<PolicyTest> = fc.record(
  {
    name: fc.constantFrom("first", "second"),
    tool: toolName,
    args: callArgs,
    expect: fc.constantFrom("allow", "deny", "require_approval", "rate_limited" as const),
    grant: fc.constantFrom("g1", "g2"),
    usage: fc.dictionary(fc.constantFrom(...Object.keys(COUNTERS)), fc.integer({ min: 0, max: 6 }), { maxKeys: 3 }),
  },
  { requiredKeys: ["tool", "expect"] },
);

export const policy: fc.Arbitrary<PolicyDocument> = fc
  .record(
    {
      version: fc.constant("1" as const),
      default: fc.constantFrom("allow", "deny" as const),
      tools: fc.dictionary(toolPattern, rule, { maxKeys: 8 }),
      tests: fc.array(test, { maxLength: 3 }),
    },
    { requiredKeys: ["version", "default", "tools"] },
  )
  .map((doc) => {
    // Usage may only name counters the policy defines.
    const defined = new Set(Object.values(doc.tools).flatMap((r) => (r.limits ?? []).map((l) => l.counter)));
    const tests = doc.tests?.map((t) => (t.usage ? { ...t, usage: Object.fromEntries(Object.entries(t.usage).filter(([c]) => defined.has(c))) } : t));
    return tests ? { ...doc, tests } : doc;
  });

export const call = fc.record({ tool: toolName, args: callArgs });
