import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { policy as arbitraryPolicy } from "@/lib/policy/policy-arbitraries.test-support";
import { validatePolicy } from "@/lib/policy/schema";

const SEED = JSON.parse(`{ "version": "1", "default": "deny",
  "tools": { "invoke_agent_runtime": { "limits": [
    { "counter": "invoke_agent_runtime_rate", "window": "minute", "max": 10, "scope": "grant" } ] } } }`);

const base = { version: "1", default: "deny" };
const withRule = (rule: unknown, pattern = "t") => ({ ...base, tools: { [pattern]: rule } });
const limit = { counter: "c", window: "minute", max: 10, scope: "grant" };
const withLimit = (l: unknown) => withRule({ limits: [l] });
const withArg = (constraint: unknown) => withRule({ args: { x: constraint } });
const withTest = (test: unknown) => ({ ...withRule({ limits: [limit] }), tests: [test] });

describe("validatePolicy accepts", () => {
  it("the seed policy verbatim", () => {
    const result = validatePolicy(SEED);
    expect(result).toEqual({ ok: true, document: SEED, errors: [] });
  });

  it.each([
    ["only a default (no tools)", { version: "1", default: "allow" }],
    ["every rule field", withRule({ action: "require_approval", reason: "Money moves.", limits: [limit], args: { amount: { type: "number", maximum: 100 } }, approval_timeout_seconds: 3600 })],
    ["globs and odd characters in names", { ...base, tools: { "*": {}, "get_?": { action: "deny" }, "ns/tool.v2": {} } }],
    ["the same counter on two rules with the same definition", { ...base, tools: { a: { limits: [limit] }, b: { limits: [limit] } } }],
    ["every constraint keyword", withArg({ type: ["array", "null"], enum: [1, "a", null], const: [1], pattern: "^a\\d+$", minimum: 0, maximum: 9, exclusiveMinimum: -1, exclusiveMaximum: 10, multipleOf: 0.5, minLength: 0, maxLength: 3, items: { type: "string" }, minItems: 1, maxItems: 2, uniqueItems: true, properties: { p: { const: 1 } }, required: ["p"], additionalProperties: { type: "string" } })],
    ["tests with every field", { ...withRule({ limits: [limit] }), tests: [{ name: "n", tool: "t", args: { a: 1 }, expect: "rate_limited", grant: "g", usage: { c: 10 } }] }],
  ])("%s", (_name, doc) => {
    expect(validatePolicy(doc).errors).toEqual([]);
  });

  it("fills in an absent `tools` so the rest of the code can count on it", () => {
    const result = validatePolicy({ version: "1", default: "allow" });
    expect(result.ok && result.document.tools).toEqual({});
  });
});

describe("validatePolicy refuses, with each error at its JSON Pointer", () => {
  it.each<[string, unknown, string, RegExp]>([
    // The document
    ["a non-object document", [], "", /A policy must be a JSON object .*got an empty array/],
    ["null", null, "", /got null/],
    ["an unknown top-level key", { ...base, tool: {} }, "/tool", /Unknown key `tool` in the policy\. Did you mean `tools`\?/],
    ["a missing version", { default: "deny" }, "/version", /`version` is missing: add "version": "1"/],
    ["a numeric version", { ...base, version: 1 }, "/version", /must be the string "1", in quotes; got the number 1/],
    ["an unknown version", { ...base, version: "2" }, "/version", /must be "1", the only version .*got "2"/],
    ["a missing default", { version: "1" }, "/default", /`default` is missing: add "default": "deny"/],
    ["an invalid default", { ...base, default: "block" }, "/default", /`default` must be one of deny, allow; got "block"/],
    ["tools that are not an object", { ...base, tools: [] }, "/tools", /`tools` must be an object .*got an empty array/],
    // Patterns and rules
    ["an empty pattern", withRule({}, ""), "/tools/", /cannot be empty/],
    ["a pattern with spaces around it", withRule({}, " get_x"), "/tools/ get_x", /starts or ends with spaces/],
    ["a pattern with a control character", withRule({}, "a\tb"), "/tools/a\tb", /control character/],
    ["a pattern longer than any tool name", withRule({}, `get_${"x".repeat(300)}*`), `/tools/get_${"x".repeat(300)}*`, /305 characters long; tool names and patterns may be up to 256/],
    ["a reason holding U+0000", withRule({ reason: "no\u0000pe" }), "/tools/t/reason", /U\+0000/],
    ["a rule that is a bare action", withRule("deny"), "/tools/t", /must be an object such as .* Write \{"action": "deny"\}/],
    ["an unknown rule key", withRule({ acton: "deny" }), "/tools/t/acton", /Unknown key `acton` in the rule for `t`\. Did you mean `action`\?/],
    ["an invalid action", withRule({ action: "block" }), "/tools/t/action", /`action` must be one of allow, deny, require_approval; got "block"/],
    ["a close-but-wrong action", withRule({ action: "require-approval" }), "/tools/t/action", /did you mean "require_approval"\?/],
    ["a non-string reason", withRule({ reason: 5 }), "/tools/t/reason", /`reason` must be a sentence in a string; got the number 5/],
    ["an empty reason", withRule({ reason: "  " }), "/tools/t/reason", /`reason` is empty/],
    ["limits that are not an array", withRule({ limits: limit }), "/tools/t/limits", /`limits` must be an array/],
    ["args that are not an object", withRule({ args: ["x"] }), "/tools/t/args", /`args` must be an object from argument names/],
    ["an empty argument name", withRule({ args: { "": {} } }), "/tools/t/args/", /argument name cannot be empty/],
    ["a timeout on a non-approval rule", withRule({ approval_timeout_seconds: 60 }), "/tools/t/approval_timeout_seconds", /only applies to rules with "action": "require_approval"; this rule's action is "allow"/],
    ["a timeout over an hour", withRule({ action: "require_approval", approval_timeout_seconds: 3601 }), "/tools/t/approval_timeout_seconds", /must be from 1 to 3600; got 3601/],
    ["a fractional timeout", withRule({ action: "require_approval", approval_timeout_seconds: 1.5 }), "/tools/t/approval_timeout_seconds", /must be a whole number; got the number 1\.5/],
    // Limits
    ["a limit that is not an object", withLimit("10/minute"), "/tools/t/limits/0", /Each limit must be an object .*got the string "10\/minute"/],
    ["an unknown limit key", withLimit({ ...limit, per: "minute" }), "/tools/t/limits/0/per", /Unknown key `per` in a limit/],
    ["a missing counter", withLimit({ window: "minute", max: 1, scope: "grant" }), "/tools/t/limits/0/counter", /This limit has no `counter`/],
    ["a missing window", withLimit({ counter: "c", max: 1, scope: "grant" }), "/tools/t/limits/0/window", /This limit has no `window`: add the window, one of second, minute, hour, day/],
    ["a missing max", withLimit({ counter: "c", window: "minute", scope: "grant" }), "/tools/t/limits/0/max", /This limit has no `max`/],
    ["a missing scope", withLimit({ counter: "c", window: "minute", max: 1 }), "/tools/t/limits/0/scope", /This limit has no `scope`: add "scope": "grant"/],
    ["a non-string counter", withLimit({ ...limit, counter: 7 }), "/tools/t/limits/0/counter", /`counter` must be a name in a string; got the number 7/],
    ["a counter name with spaces", withLimit({ ...limit, counter: "my counter" }), "/tools/t/limits/0/counter", /1 to 64 letters, digits.*got "my counter"/],
    ["a plural window", withLimit({ ...limit, window: "minutes" }), "/tools/t/limits/0/window", /^`window` must be one of second, minute, hour, day; got "minutes" \(did you mean "minute"\?\)\.$/],
    ["a max of zero", withLimit({ ...limit, max: 0 }), "/tools/t/limits/0/max", /must be 1 or more; got 0\. To refuse every call, use "action": "deny"/],
    ["a negative max", withLimit({ ...limit, max: -1 }), "/tools/t/limits/0/max", /`max` must be 1 or more; got -1/],
    ["a max beyond what a counter can hold", withLimit({ ...limit, max: 1e300 }), "/tools/t/limits/0/max", /`max` must be at most 9007199254740991; got 1e\+300/],
    ["a fractional max", withLimit({ ...limit, max: 2.5 }), "/tools/t/limits/0/max", /`max` must be a whole number; got the number 2\.5/],
    ["a max in a string", withLimit({ ...limit, max: "10" }), "/tools/t/limits/0/max", /got the string "10"/],
    ["an unknown scope", withLimit({ ...limit, scope: "user" }), "/tools/t/limits/0/scope", /`scope` must be one of grant, server; got "user"/],
    ["a counter named twice in one rule", withRule({ limits: [limit, limit] }), "/tools/t/limits/1/counter", /already used by limit 0 of this rule/],
    ["a shared counter with another window", { ...base, tools: { a: { limits: [limit] }, b: { limits: [{ ...limit, window: "hour" }] } } }, "/tools/b/limits/0/window", /Counter `c` is defined at \/tools\/a\/limits\/0 with window "minute", here with "hour": .*share one budget/],
    ["a shared counter with another max", { ...base, tools: { a: { limits: [limit] }, b: { limits: [{ ...limit, max: 5 }] } } }, "/tools/b/limits/0/max", /with max 10, here with 5/],
    ["a shared counter with another scope", { ...base, tools: { a: { limits: [limit] }, b: { limits: [{ ...limit, scope: "server" }] } } }, "/tools/b/limits/0/scope", /with scope "grant", here with "server"/],
    // Argument constraints
    ["an argument named __proto__", JSON.parse('{"version":"1","default":"deny","tools":{"t":{"args":{"__proto__":{"maximum":1}}}}}'), "/tools/t/args/__proto__", /`__proto__` cannot be constrained/],
    ["a property named __proto__", withArg(JSON.parse('{"properties":{"__proto__":{"maximum":1}}}')), "/tools/t/args/x/properties/__proto__", /`__proto__` cannot be constrained/],
    ["a constraint that is not an object", withArg(5), "/tools/t/args/x", /The constraint on `x` must be an object of JSON Schema keywords/],
    ["a boolean constraint", withArg(true), "/tools/t/args/x", /true and false schemas are not supported/],
    ["an unknown keyword", withArg({ maxlength: 3 }), "/tools/t/args/x/maxlength", /Unknown constraint keyword `maxlength` on `x`\. Did you mean `maxLength`\?/],
    ["format", withArg({ format: "email" }), "/tools/t/args/x/format", /`format` is not supported: use `pattern`/],
    ["$ref", withArg({ $ref: "#/x" }), "/tools/t/args/x/$ref", /`\$ref` is not supported/],
    ["oneOf", withArg({ oneOf: [] }), "/tools/t/args/x/oneOf", /use `enum`/],
    ["an unknown type", withArg({ type: "text" }), "/tools/t/args/x/type", /`type` on `x` must be one of string, number, integer, boolean, object, array, null .*got "text"/],
    ["an empty type list", withArg({ type: [] }), "/tools/t/args/x/type", /`type` on `x` must be one of/],
    ["a repeated type", withArg({ type: ["string", "string"] }), "/tools/t/args/x/type", /lists the same type twice/],
    ["an empty enum", withArg({ enum: [] }), "/tools/t/args/x/enum", /must be a non-empty array/],
    ["an enum that is not an array", withArg({ enum: "a" }), "/tools/t/args/x/enum", /got the string "a"/],
    ["a pattern that is not a string", withArg({ pattern: 5 }), "/tools/t/args/x/pattern", /must be a regular expression in a string/],
    ["an invalid pattern", withArg({ pattern: "(" }), "/tools/t/args/x/pattern", /is not a valid regular expression/],
    ["a pattern with a lookahead", withArg({ pattern: "^(?!admin)" }), "/tools/t/args/x/pattern", /`pattern` on `x` uses negative lookahead .*linear-time regular expression engine \(RE2\) does not support/],
    ["a pattern with a backreference", withArg({ items: { pattern: "(a)\\1" } }), "/tools/t/args/x/items/pattern", /`pattern` on `x\[\]` uses a backreference/],
    ["a pattern too large for the engine", withArg({ pattern: "^.{0,1000}$" }), "/tools/t/args/x/pattern", /is too large: it compiles to 2,004 instructions/],
    ["patterns too large together", withRule({ args: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`a${i}`, { pattern: `^[a-z]{950}${"b".repeat(i)}$` }])) }), "/tools/t/args/a20/pattern", /brings the size of this policy's patterns to 20,244 instructions, over the 20,000 a policy may have/],
    ["a non-numeric minimum", withArg({ minimum: "1" }), "/tools/t/args/x/minimum", /`minimum` on `x` must be a number; got the string "1"/],
    ["a non-numeric maximum", withArg({ maximum: null }), "/tools/t/args/x/maximum", /must be a number; got null/],
    ["a non-numeric exclusiveMinimum", withArg({ exclusiveMinimum: true }), "/tools/t/args/x/exclusiveMinimum", /must be a number/],
    ["a non-numeric exclusiveMaximum", withArg({ exclusiveMaximum: [] }), "/tools/t/args/x/exclusiveMaximum", /must be a number/],
    ["a zero multipleOf", withArg({ multipleOf: 0 }), "/tools/t/args/x/multipleOf", /must be a number greater than 0/],
    ["a negative minLength", withArg({ minLength: -1 }), "/tools/t/args/x/minLength", /`minLength` on `x` must be 0 or more; got -1/],
    ["a fractional maxLength", withArg({ maxLength: 1.5 }), "/tools/t/args/x/maxLength", /must be a whole number/],
    ["a string minItems", withArg({ minItems: "1" }), "/tools/t/args/x/minItems", /must be a whole number/],
    ["a negative maxItems", withArg({ maxItems: -2 }), "/tools/t/args/x/maxItems", /must be 0 or more/],
    ["a non-boolean uniqueItems", withArg({ uniqueItems: "yes" }), "/tools/t/args/x/uniqueItems", /must be true or false/],
    ["a bad keyword inside items", withArg({ items: { maxLen: 1 } }), "/tools/t/args/x/items/maxLen", /Unknown constraint keyword `maxLen` on `x\[\]`/],
    ["properties that are not an object", withArg({ properties: [] }), "/tools/t/args/x/properties", /must be an object from property names to constraints/],
    ["a bad keyword inside properties", withArg({ properties: { p: { minimum: "0" } } }), "/tools/t/args/x/properties/p/minimum", /`minimum` on `x\.p` must be a number/],
    ["required that is not a list of names", withArg({ required: [1] }), "/tools/t/args/x/required", /must be an array of property names/],
    ["a repeated required name", withArg({ required: ["a", "a"] }), "/tools/t/args/x/required", /lists the same property twice/],
    ["a bad additionalProperties", withArg({ additionalProperties: "no" }), "/tools/t/args/x/additionalProperties", /The constraint on `x\.\*` must be an object/],
    // Tests
    ["tests that are not an array", { ...base, tests: {} }, "/tests", /`tests` must be an array of example calls/],
    ["a test that is not an object", withTest("t"), "/tests/0", /Each test must be an object/],
    ["an unknown test key", withTest({ tool: "t", expect: "allow", expected: "deny" }), "/tests/0/expected", /Unknown key `expected` in a test/],
    ["a test without a tool", withTest({ expect: "allow" }), "/tests/0/tool", /This test has no `tool`/],
    ["a test with an empty tool", withTest({ tool: "", expect: "allow" }), "/tests/0/tool", /`tool` must be a tool name/],
    ["a test without expect", withTest({ tool: "t" }), "/tests/0/expect", /This test has no `expect`: give the decision .*allow, deny, require_approval or rate_limited/],
    ["a test with an unknown decision", withTest({ tool: "t", expect: "allowed" }), "/tests/0/expect", /must be one of allow, deny, require_approval, rate_limited; got "allowed" \(did you mean "allow"\?\)/],
    ["a test with a non-string name", withTest({ tool: "t", expect: "allow", name: 1 }), "/tests/0/name", /`name` must be a string/],
    ["a test with non-object args", withTest({ tool: "t", expect: "allow", args: [] }), "/tests/0/args", /`args` must be an object of the call's arguments/],
    ["a test with an empty grant", withTest({ tool: "t", expect: "allow", grant: "" }), "/tests/0/grant", /`grant` must be a grant id/],
    ["a test with non-object usage", withTest({ tool: "t", expect: "allow", usage: 3 }), "/tests/0/usage", /`usage` must be an object from counter names/],
    ["a test with negative usage", withTest({ tool: "t", expect: "allow", usage: { c: -1 } }), "/tests/0/usage/c", /The usage of `c` must be 0 or more/],
    ["a test with usage of an unknown counter", withTest({ tool: "t", expect: "allow", usage: { cc: 1 } }), "/tests/0/usage/cc", /^No rule of this policy has a counter named `cc`\.$/],
    ["a test with usage of a misspelt counter", { ...withRule({ limits: [{ ...limit, counter: "calls" }] }), tests: [{ tool: "t", expect: "allow", usage: { call: 1 } }] }, "/tests/0/usage/call", /Did you mean `calls`\?/],
  ])("%s", (_name, doc, path, message) => {
    const result = validatePolicy(doc);
    expect(result.ok).toBe(false);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.path).toBe(path);
    expect(result.errors[0]?.message).toMatch(message);
  });

  it("reports every error in one pass, in document order", () => {
    const result = validatePolicy({
      version: 2,
      tools: {
        "get_*": { action: "nope", limits: [{ counter: "c", window: "weeks", max: 0, scope: "grant", extra: 1 }] },
        b: { args: { x: { format: "uri" } } },
      },
      colour: "blue",
    });
    expect(result.errors.map((e) => e.path)).toEqual([
      "/colour",
      "/version",
      "/default",
      "/tools/get_*/action",
      "/tools/get_*/limits/0/extra",
      "/tools/get_*/limits/0/window",
      "/tools/get_*/limits/0/max",
      "/tools/b/args/x/format",
    ]);
  });

  it("reads only own properties (keys named like Object.prototype members are unknown keys)", () => {
    const doc = JSON.parse('{"version": "1", "default": "deny", "tools": {"t": {"constructor": 1, "__proto__": {"action": "deny"}}}}');
    expect(validatePolicy(doc).errors.map((e) => e.path)).toEqual(["/tools/t/constructor", "/tools/t/__proto__"]);
  });
});

describe("validatePolicy on arbitrary input", () => {
  it("never throws on any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = validatePolicy(value);
        expect(result.ok || result.errors.length > 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws on documents shaped like policies with arbitrary values in every place", () => {
    // Plausible and implausible values alike, so generated documents reach the deeper checks.
    const scalar = fc.oneof(
      fc.constantFrom("1", "deny", "allow", "require_approval", "minute", "grant", "c", "^a", "(", 1, 0, -1, 1.5, 3601, true, null),
      fc.integer(),
      fc.double(),
      fc.string({ maxLength: 6 }),
    );
    const anyValue = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.constantFrom("type", "maximum", "pattern", "items", "enum", "x"), scalar, { maxKeys: 3 }));
    const ruleish = fc.dictionary(fc.constantFrom("action", "reason", "limits", "args", "approval_timeout_seconds", "x"), fc.oneof(anyValue, fc.array(fc.dictionary(fc.constantFrom("counter", "window", "max", "scope"), anyValue))));
    const doc = fc.record({ version: anyValue, default: anyValue, tools: fc.dictionary(fc.string(), fc.oneof(ruleish, anyValue), { maxKeys: 6 }), tests: fc.oneof(anyValue, fc.array(fc.dictionary(fc.constantFrom("tool", "expect", "usage", "args"), anyValue))) }, { requiredKeys: [] });
    fc.assert(
      fc.property(doc, (value) => {
        expect(() => validatePolicy(value)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });

  it("accepts every generated valid policy", () => {
    fc.assert(
      fc.property(arbitraryPolicy, (doc) => {
        expect(validatePolicy(doc).errors).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
