import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compilePolicy, matchByScan, type CompiledPolicy } from "@/lib/policy/compile";
import { evaluate, markRateLimited } from "@/lib/policy/evaluate";
import { compareGlobs, globMatch, isGlob } from "@/lib/policy/glob";
import { policy as arbitraryPolicy, toolName } from "@/lib/policy/policy-arbitraries.test-support";
import { validatePolicy } from "@/lib/policy/schema";
import type { ArgConstraint, EvaluationContext, PolicyDecision, PolicyRule } from "@/lib/policy/types";

/** 2025-01-01 12:00:30.250 UTC: inside every window, at a known distance from each window's end. */
const NOW = Date.UTC(2025, 0, 1, 12, 0, 30, 250);

function compiled(tools: Record<string, PolicyRule>, defaultAction: "allow" | "deny" = "deny"): CompiledPolicy {
  const result = validatePolicy({ version: "1", default: defaultAction, tools });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return compilePolicy(result.document);
}

function context(usage: Record<string, number> = {}, overrides: Partial<EvaluationContext> = {}): EvaluationContext {
  return { now: NOW, grantId: "grant-1", serverId: "server-1", usage: (_key, counter) => usage[counter] ?? 0, ...overrides };
}

function decide(tools: Record<string, PolicyRule>, tool: string, args: unknown = {}, usage: Record<string, number> = {}): PolicyDecision {
  return evaluate(compiled(tools), { tool, args }, context(usage));
}

describe("precedence: one rule applies, the most specific", () => {
  it.each<[string, string[], string, string | null]>([
    ["an exact name beats any glob", ["get_user", "get_*", "get_use?", "*"], "get_user", "get_user"],
    ["an exact name beats *", ["*", "deploy"], "deploy", "deploy"],
    ["more literal characters win", ["get_*", "get_user_*"], "get_user_42", "get_user_*"],
    ["literal characters count wherever they are", ["get_*", "*_admin"], "get_admin", "*_admin"],
    ["at equal literals, ? beats *", ["get_*", "get_?"], "get_a", "get_?"],
    ["at equal literals and stars, code-unit order decides", ["ab*", "*ab"], "abab", "*ab"],
    ["? beats *", ["*", "?"], "a", "?"],
    ["* is least specific", ["*", "?"], "ab", "*"],
    ["a more specific glob that does not match is skipped", ["get_user_*", "get_*"], "get_account", "get_*"],
    ["infix globs match", ["*file*"], "read_file_chunk", "*file*"],
    ["matching is case-sensitive", ["get_*"], "Get_user", null],
    ["no match leaves the default", ["get_*", "list_?"], "list_all", null],
    ["globs are whole-name", ["user"], "get_user", null],
    ["regex characters are literal", ["a.b*"], "aXb_c", null],
  ])("%s", (_why, patterns, tool, expected) => {
    const tools = Object.fromEntries(patterns.map((p) => [p, {}]));
    expect(decide(tools, tool).matchedRule).toBe(expected);
  });

  it("an exact allow inside a denied glob family is allowed, its siblings denied", () => {
    const tools: Record<string, PolicyRule> = { "delete_*": { action: "deny" }, delete_draft: {} };
    expect(decide(tools, "delete_draft").decision).toBe("allow");
    expect(decide(tools, "delete_repo").decision).toBe("deny");
  });

  it("only the winning rule's limits and args apply, never a less specific rule's", () => {
    const tools: Record<string, PolicyRule> = {
      "send_*": { limits: [{ counter: "sends", window: "minute", max: 1, scope: "grant" }], args: { to: { pattern: "@example\\.com$" } } },
      send_email: {},
    };
    const d = decide(tools, "send_email", { to: "x@elsewhere.org" }, { sends: 5 });
    expect(d).toMatchObject({ decision: "allow", code: "allowed", matchedRule: "send_email", counters: [] });
  });

  it("the indexed matcher agrees with a reference of the precedence rules on generated policies", () => {
    fc.assert(
      fc.property(arbitraryPolicy, fc.array(toolName, { minLength: 1, maxLength: 20 }), (doc, names) => {
        const c = compilePolicy(doc, { cacheSize: 3 });
        const patterns = Object.keys(doc.tools);
        for (const name of [...names, ...names]) {
          const exact = patterns.find((p) => !isGlob(p) && p === name);
          const glob = patterns.filter((p) => isGlob(p) && globMatch(p, name)).sort(compareGlobs)[0];
          const expected = exact ?? glob ?? null;
          expect(c.match(name)?.pattern ?? null).toBe(expected);
          expect(matchByScan(c, name)?.pattern ?? null).toBe(expected);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("actions and their decision codes", () => {
  it.each<[string, Record<string, PolicyRule>, "allow" | "deny", string, Partial<PolicyDecision>, RegExp]>([
    ["allow (action omitted)", { t: {} }, "deny", "t", { decision: "allow", code: "allowed", matchedRule: "t" }, /^Allowed by the policy rule for `t`\.$/],
    ["allow (explicit)", { t: { action: "allow" } }, "deny", "t", { decision: "allow", code: "allowed" }, /Allowed/],
    ["deny with a reason", { "rm_*": { action: "deny", reason: "Deleting is for people." } }, "allow", "rm_rf", { decision: "deny", code: "denied_by_rule", matchedRule: "rm_*" }, /^Denied by the policy rule for tools matching `rm_\*`: Deleting is for people\. Do not retry this call\.$/],
    ["deny with a reason lacking a full stop", { t: { action: "deny", reason: "Ask Sam" } }, "allow", "t", { decision: "deny" }, /: Ask Sam\. Do not retry this call\.$/],
    ["deny without a reason", { t: { action: "deny" } }, "allow", "t", { decision: "deny", code: "denied_by_rule" }, /this tool may not be used/],
    ["require_approval", { pay: { action: "require_approval", reason: "Money moves." } }, "deny", "pay", { decision: "require_approval", code: "approval_required", approvalTimeoutSeconds: 50 }, /needs a person's approval .* Money moves\. It is held for up to 50 seconds/],
    ["require_approval with its own timeout", { pay: { action: "require_approval", approval_timeout_seconds: 60 } }, "deny", "pay", { decision: "require_approval", approvalTimeoutSeconds: 60 }, /up to 60 seconds/],
    ["the default denies", { t: {} }, "deny", "other", { decision: "deny", code: "denied_by_default", matchedRule: null }, /no policy rule covers this tool, and the policy denies/],
    ["the default allows", { t: { action: "deny" } }, "allow", "other", { decision: "allow", code: "allowed_by_default", matchedRule: null }, /policy allows tools without a rule/],
  ])("%s", (_name, tools, defaultAction, tool, expected, reason) => {
    const d = evaluate(compiled(tools, defaultAction), { tool, args: {} }, context());
    expect(d).toMatchObject({ counters: [], increment: [], ...expected });
    expect(d.reason).toMatch(reason);
  });

  it("decisions that never vary are shared and frozen", () => {
    const c = compiled({ t: { action: "deny" } });
    const first = evaluate(c, { tool: "t" }, context());
    expect(evaluate(c, { tool: "t" }, context())).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});

describe("order of checks: deny -> arguments -> limits -> approval -> allow", () => {
  const limit = { counter: "c", window: "minute", max: 1, scope: "grant" } as const;
  it.each<[string, PolicyRule, unknown, number, string]>([
    ["deny wins over bad arguments", { action: "deny", args: { n: { maximum: 1 } } }, { n: 5 }, 0, "denied_by_rule"],
    ["bad arguments win over an exhausted limit", { args: { n: { maximum: 1 } }, limits: [limit] }, { n: 5 }, 1, "argument_violation"],
    ["an exhausted limit wins over approval", { action: "require_approval", limits: [limit] }, {}, 1, "rate_limited"],
    ["approval when within the limit", { action: "require_approval", limits: [limit] }, {}, 0, "approval_required"],
    ["allow when everything passes", { args: { n: { maximum: 1 } }, limits: [limit] }, { n: 1 }, 0, "allowed"],
  ])("%s", (_name, rule, args, used, code) => {
    expect(decide({ t: rule }, "t", args, { c: used }).code).toBe(code);
  });

  it("counts held calls: approval decisions ask for their counters to be incremented", () => {
    const d = decide({ t: { action: "require_approval", limits: [limit] } }, "t");
    expect(d.increment).toEqual(["c:minute:1735732800000:grant:grant-1"]);
  });

  it("refused calls increment nothing", () => {
    expect(decide({ t: { args: { n: { maximum: 1 } }, limits: [limit] } }, "t", { n: 2 }).increment).toEqual([]);
    expect(decide({ t: { limits: [limit] } }, "t", {}, { c: 1 }).increment).toEqual([]);
  });
});

describe("limits", () => {
  const at = (iso: string) => Date.parse(iso);

  it.each<[string, number, number, number]>([
    // [window, window start, window end, retry-after seconds at 12:00:30.250]
    ["second", at("2025-01-01T12:00:30Z"), at("2025-01-01T12:00:31Z"), 1],
    ["minute", at("2025-01-01T12:00:00Z"), at("2025-01-01T12:01:00Z"), 30],
    ["hour", at("2025-01-01T12:00:00Z"), at("2025-01-01T13:00:00Z"), 3570],
    ["day", at("2025-01-01T00:00:00Z"), at("2025-01-02T00:00:00Z"), 43170],
  ])("window %s is a fixed UTC window with retry-after until its end", (window, windowStart, windowEnd, retryAfterSeconds) => {
    const rule: PolicyRule = { limits: [{ counter: "c", window: window as "second", max: 2, scope: "grant" }] };
    const within = decide({ t: rule }, "t", {}, { c: 1 });
    expect(within.counters[0]).toEqual({
      key: `c:${window}:${windowStart}:grant:grant-1`,
      counter: "c",
      window,
      max: 2,
      scope: "grant",
      scopeId: "grant-1",
      windowStart,
      windowEnd,
      used: 1,
    });
    const over = decide({ t: rule }, "t", {}, { c: 2 });
    expect(over).toMatchObject({ decision: "rate_limited", code: "rate_limited", retryAfterSeconds, increment: [] });
    expect(over.counters[0]?.retryAfterSeconds).toBe(retryAfterSeconds);
    expect(over.reason).toMatch(new RegExp(`allows 2 calls per ${window} for each key, and all have been used\\. Retry after ${retryAfterSeconds} seconds?\\.$`));
  });

  it.each<[number, string]>([
    [0, "allow"],
    [9, "allow"],
    [10, "rate_limited"],
    [11, "rate_limited"],
    [Number.NaN, "rate_limited"],
  ])("max 10 with %d already counted: %s", (used, decision) => {
    expect(decide({ t: { limits: [{ counter: "c", window: "minute", max: 10, scope: "grant" }] } }, "t", {}, { c: used }).decision).toBe(decision);
  });

  it("scope grant counts per grant, scope server per server", () => {
    const c = compiled({
      t: {
        limits: [
          { counter: "per_key", window: "minute", max: 1, scope: "grant" },
          { counter: "per_server", window: "minute", max: 1, scope: "server" },
        ],
      },
    });
    const keys = (grantId: string, serverId: string) => evaluate(c, { tool: "t" }, context({}, { grantId, serverId })).increment;
    expect(keys("g1", "s1")).toEqual(["per_key:minute:1735732800000:grant:g1", "per_server:minute:1735732800000:server:s1"]);
    expect(keys("g2", "s1")[1]).toBe(keys("g1", "s1")[1]);
    expect(keys("g2", "s1")[0]).not.toBe(keys("g1", "s1")[0]);
    expect(keys("g1", "s2")[1]).not.toBe(keys("g1", "s1")[1]);
  });

  it("rules naming the same counter share one budget (the same key)", () => {
    const shared = { counter: "writes", window: "hour", max: 3, scope: "server" } as const;
    const c = compiled({ create_file: { limits: [shared] }, "delete_*": { limits: [shared] } });
    const a = evaluate(c, { tool: "create_file" }, context());
    const b = evaluate(c, { tool: "delete_file" }, context());
    expect(a.increment).toEqual(b.increment);
  });

  it("a new window starts a new key, so the previous window's count does not carry over", () => {
    const c = compiled({ t: { limits: [{ counter: "c", window: "minute", max: 1, scope: "grant" }] } });
    const before = evaluate(c, { tool: "t" }, context({}, { now: at("2025-01-01T12:00:59.999Z") }));
    const after = evaluate(c, { tool: "t" }, context({}, { now: at("2025-01-01T12:01:00.000Z") }));
    expect(before.counters[0]?.windowEnd).toBe(after.counters[0]?.windowStart);
    expect(before.increment[0]).not.toBe(after.increment[0]);
  });

  it("checks every limit, waits for the latest exhausted window, and reads usage by key and counter", () => {
    const seen: [string, string][] = [];
    const c = compiled({
      t: {
        limits: [
          { counter: "burst", window: "second", max: 1, scope: "grant" },
          { counter: "hourly", window: "hour", max: 100, scope: "grant" },
          { counter: "daily", window: "day", max: 5, scope: "grant" },
        ],
      },
    });
    const d = evaluate(c, { tool: "t" }, context({}, { usage: (key, counter) => (seen.push([key, counter]), counter === "hourly" ? 0 : 9) }));
    expect(d).toMatchObject({ decision: "rate_limited", retryAfterSeconds: 43170 });
    // In counter name order, whatever order the limits are written in.
    expect(d.counters.map((x) => [x.counter, x.retryAfterSeconds])).toEqual([
      ["burst", 1],
      ["daily", 43170],
      ["hourly", undefined],
    ]);
    expect(d.reason).toMatch(/counter `burst` allows 1 call per second for each key, and it has been used; counter `daily` allows 5 calls per day/);
    expect(seen.map(([, counter]) => counter)).toEqual(["burst", "daily", "hourly"]);
    expect(seen[0]?.[0]).toBe(d.counters[0]?.key);
  });

  it("the retry time is at least one second, even at the very end of a window", () => {
    const c = compiled({ t: { limits: [{ counter: "c", window: "minute", max: 1, scope: "grant" }] } });
    const d = evaluate(c, { tool: "t" }, context({ c: 1 }, { now: at("2025-01-01T12:00:59.999Z") }));
    expect(d.retryAfterSeconds).toBe(1);
  });

  it("markRateLimited turns a decision refused by the counter store into rate_limited", () => {
    const c = compiled({ t: { limits: [{ counter: "c", window: "minute", max: 3, scope: "server" }] } });
    const allowed = evaluate(c, { tool: "t" }, context());
    const limited = markRateLimited(allowed, allowed.increment, NOW);
    expect(limited).toMatchObject({ decision: "rate_limited", code: "rate_limited", retryAfterSeconds: 30, increment: [] });
    expect(limited.reason).toMatch(/for this server across all keys/);
    expect(markRateLimited(allowed, [], NOW)).toBe(allowed);
  });
});

describe("argument constraints: every keyword", () => {
  it.each<[string, ArgConstraint, unknown, unknown, string]>([
    ["type string", { type: "string" }, "a", 5, "`x` must be a string; got the number 5."],
    ["type integer", { type: "integer" }, 2, 2.5, "`x` must be a whole number; got the number 2.5."],
    ["type number", { type: "number" }, 2.5, "2.5", '`x` must be a number; got the string "2.5".'],
    ["type boolean", { type: "boolean" }, false, "false", '`x` must be true or false; got the string "false".'],
    ["type object", { type: "object" }, {}, [], "`x` must be an object; got an empty array."],
    ["type array", { type: "array" }, [], {}, "`x` must be an array; got an object."],
    ["type null", { type: "null" }, null, 0, "`x` must be null; got the number 0."],
    ["a list of types", { type: ["string", "null"] }, null, 1, "`x` must be a string or null; got the number 1."],
    ["enum", { enum: ["EUR", "USD"] }, "USD", "GBP", '`x` must be one of "EUR", "USD"; got "GBP".'],
    ["const", { const: "fast" }, "fast", "slow", '`x` must be "fast"; got "slow".'],
    ["pattern", { pattern: "^/tmp/" }, "/tmp/a", "/etc/passwd", '`x` must match the regular expression `^/tmp/`; got "/etc/passwd".'],
    ["pattern (unanchored unless ^ and $ say so)", { pattern: "tmp" }, "/var/tmp/x", "/var/x", '`x` must match the regular expression `tmp`; got "/var/x".'],
    ["minimum", { minimum: 0 }, 0, -1, "`x` must be at least 0; got -1."],
    ["maximum", { maximum: 100 }, 100, 101, "`x` must be at most 100; got 101."],
    ["exclusiveMinimum", { exclusiveMinimum: 0 }, 0.5, 0, "`x` must be greater than 0; got 0."],
    ["exclusiveMaximum", { exclusiveMaximum: 10 }, 9.99, 10, "`x` must be less than 10; got 10."],
    ["multipleOf", { multipleOf: 5 }, 10, 12, "`x` must be a multiple of 5; got 12."],
    ["minLength", { minLength: 2 }, "ab", "a", "`x` must be at least 2 characters long; got 1."],
    ["maxLength (counts characters, not UTF-16 units)", { maxLength: 3 }, "😀😀😀", "abcd", "`x` must be at most 3 characters long; got 4."],
    ["items", { items: { type: "string" } }, ["a"], ["a", 1], "`x[1]` must be a string; got the number 1."],
    ["minItems", { minItems: 1 }, [1], [], "`x` must have at least 1 item; got 0."],
    ["maxItems", { maxItems: 2 }, [1, 2], [1, 2, 3], "`x` must have at most 2 items; got 3."],
    ["uniqueItems", { uniqueItems: true }, [1, 2], [1, 2, 1], "`x` must not repeat items (`x[0]` and `x[2]` are equal)."],
    ["properties", { properties: { mode: { enum: ["a", "b"] } } }, { mode: "a" }, { mode: "z" }, '`x.mode` must be one of "a", "b"; got "z".'],
    ["required", { required: ["mode"] }, { mode: 1 }, {}, "`x.mode` is required."],
    ["additionalProperties false", { properties: { a: {} }, additionalProperties: false }, { a: 1 }, { a: 1, extra: 1 }, "`x.extra` is not allowed."],
    ["additionalProperties as a constraint", { additionalProperties: { type: "number" } }, { a: 1 }, { a: "s" }, '`x.a` must be a number; got the string "s".'],
    ["nested arrays of objects", { items: { properties: { to: { pattern: "@corp\\.com$" } } } }, [{ to: "a@corp.com" }], [{ to: "a@corp.com" }, { to: "b@gmail.com" }], '`x[1].to` must match the regular expression `@corp\\.com$`; got "b@gmail.com".'],
  ])("%s", (_keyword, constraint, good, bad, message) => {
    const tools = { t: { args: { x: constraint } } };
    expect(decide(tools, "t", { x: good })).toMatchObject({ decision: "allow", code: "allowed" });
    const refused = decide(tools, "t", { x: bad });
    expect(refused).toMatchObject({ decision: "deny", code: "argument_violation", matchedRule: "t", counters: [], increment: [] });
    expect(refused.violations?.[0]?.arg).toBe("x");
    expect(refused.violations?.[0]?.message).toBe(message);
    expect(refused.reason).toContain(message);
    expect(refused.reason).toMatch(/Change the arguments to meet the rule and call again\.$/);
  });

  it("does not check an argument the call leaves out", () => {
    expect(decide({ t: { args: { limit: { maximum: 10 } } } }, "t", {}).decision).toBe("allow");
    expect(decide({ t: { args: { limit: { maximum: 10 } } } }, "t", undefined).decision).toBe("allow");
    expect(decide({ t: { args: { limit: { maximum: 10 } } } }, "t", null).decision).toBe("allow");
  });

  it("refuses arguments that are not an object, whatever the rule", () => {
    const d = decide({ t: {} }, "t", ["rm", "-rf"]);
    expect(d).toMatchObject({ decision: "deny", code: "argument_violation" });
    expect(d.violations?.[0]?.message).toBe("The arguments must be an object; got an array.");
  });

  it("reports every violation at once, with the rule's reason", () => {
    const d = decide(
      { refund: { reason: "Large refunds go through support.", args: { amount: { maximum: 100 }, currency: { enum: ["EUR"] } } } },
      "refund",
      { amount: 250, currency: "USD" },
    );
    expect(d.violations?.map((v) => [v.arg, v.keyword])).toEqual([
      ["amount", "maximum"],
      ["currency", "enum"],
    ]);
    expect(d.reason).toBe(
      'Refused by the policy rule for `refund`: `amount` must be at most 100; got 250. `currency` must be one of "EUR"; got "USD". Large refunds go through support. Change the arguments to meet the rule and call again.',
    );
  });

  it("shares one compiled validator between rules and policies with the same constraints", () => {
    const a = compiled({ t: { args: { x: { maximum: 1 } } } });
    const b = compiled({ u: { args: { x: { maximum: 1 } } } });
    expect(evaluate(a, { tool: "t", args: { x: 2 } }, context()).code).toBe("argument_violation");
    expect(evaluate(b, { tool: "u", args: { x: 2 } }, context()).code).toBe("argument_violation");
  });
});
