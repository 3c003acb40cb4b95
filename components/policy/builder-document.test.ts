import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyRecommendations,
  builderRows,
  counterNameFor,
  newLimit,
  rulesOf,
  setDefault,
  setRule,
  updateRule,
  withAction,
  withArgKeyword,
  withLimit,
  withReason,
  withRecommendation,
  type BuilderKeyword,
} from "@/components/policy/builder-document";
import { parseForBuilder, policyToText } from "@/components/policy/policy-text";
import { COUNTER_NAME, normalizePolicy, policiesEquivalent, validatePolicy, type PolicyDocument, type PolicyRule, type RuleAction } from "@/lib/policy";
import { policy, toolName } from "@/lib/policy/policy-arbitraries.test-support";
import { recommendRule } from "@/lib/risk";
import { RISK_CATEGORIES, RISK_LEVELS } from "@/lib/risk/types";

const SEED = `{ "version": "1", "default": "deny",
  "tools": { "invoke_agent_runtime": { "limits": [
    { "counter": "invoke_agent_runtime_rate", "window": "minute", "max": 10, "scope": "grant" } ] } } }`;

const tools = fc.uniqueArray(toolName, { maxLength: 6 }).map((names) => names.map((name) => ({ name })));
/** A document with at least one rule, and one of its patterns. */
const withPattern = policy
  .filter((doc) => Object.keys(doc.tools).length > 0)
  .chain((doc) => fc.record({ doc: fc.constant(doc), pattern: fc.constantFrom(...Object.keys(doc.tools)) }));
const action = fc.constantFrom<RuleAction>("allow", "deny", "require_approval");

/** Everything but the rule at `pattern`, which an edit of that rule must leave as it was. */
function outside(doc: PolicyDocument, pattern: string) {
  const { tools: rules, ...rest } = doc;
  return { rest, rules: Object.entries(rules ?? {}).filter(([p]) => p !== pattern) };
}

describe("builderRows", () => {
  it("shows every rule of any valid document exactly once, as the same object, and a row for every tool", () => {
    fc.assert(
      fc.property(policy, tools, (doc, list) => {
        const rows = builderRows(doc, list);
        const withRules = rows.filter((r) => r.rule !== null);
        expect(withRules.map((r) => r.pattern).sort()).toEqual(Object.keys(doc.tools).sort());
        for (const row of withRules) expect(row.rule).toBe(doc.tools[row.pattern]);
        expect(rows.filter((r) => r.kind === "tool").map((r) => r.pattern)).toEqual(list.map((t) => t.name));
        for (const row of rows.filter((r) => r.kind !== "tool")) expect(list.some((t) => t.name === row.pattern)).toBe(false);
      }),
    );
  });

  it("puts the seed policy's rule in a row of its own when the server has no such tool", () => {
    const parsed = parseForBuilder(SEED);
    if (!parsed.ok) throw new Error("the seed policy must open in the builder");
    const rows = builderRows(parsed.document, [{ name: "echo" }]);
    expect(rows).toEqual([
      { pattern: "echo", kind: "tool", tool: { name: "echo" }, rule: null },
      {
        pattern: "invoke_agent_runtime",
        kind: "unlisted",
        tool: null,
        rule: { limits: [{ counter: "invoke_agent_runtime_rate", window: "minute", max: 10, scope: "grant" }] },
      },
    ]);
    expect(builderRows({ version: "1", default: "deny", tools: { "get_*": {}, "*": { action: "deny" } } }, []).map((r) => r.kind)).toEqual([
      "pattern",
      "pattern",
    ]);
  });
});

describe("the text round trip between the builder and the JSON editor", () => {
  it("gives back the same document, key order included, for any valid document", () => {
    fc.assert(
      fc.property(policy, (doc) => {
        const parsed = parseForBuilder(policyToText(doc));
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.document).toEqual(doc);
        expect(Object.keys(parsed.document.tools)).toEqual(Object.keys(doc.tools));
        expect(policiesEquivalent(parsed.document, doc)).toBe(true);
      }),
    );
  });

  it("opens text as written, without adding what it leaves out", () => {
    const parsed = parseForBuilder('{"version": "1", "default": "allow"}');
    expect(parsed).toEqual({ ok: true, document: { version: "1", default: "allow" } });
    if (!parsed.ok) throw new Error(`refused, with ${parsed.errorCount} errors`);
    expect(policyToText(setDefault(parsed.document, "deny"))).toBe('{\n  "version": "1",\n  "default": "deny"\n}\n');
  });

  it("refuses text the builder cannot show, and counts its errors", () => {
    expect(parseForBuilder('{"version": "1", "default": "deny",}')).toEqual({ ok: false, errorCount: 1 });
    expect(parseForBuilder('{"version": "1", "default": "deny", "tools": {"a": {"acton": "deny", "limits": 3}}}')).toEqual({ ok: false, errorCount: 2 });
    expect(parseForBuilder('{"version": "1", "default": "deny", "default": "allow"}')).toEqual({ ok: false, errorCount: 1 });
  });

  it("still opens documents with the errors its own controls can cause, so it never locks itself out", () => {
    const conflicting = {
      version: "1",
      default: "deny",
      tools: {
        a: { limits: [{ counter: "c", window: "minute", max: 1, scope: "grant" }] },
        b: { limits: [{ counter: "c", window: "hour", max: 1, scope: "grant" }], args: { q: { pattern: "(" } } },
      },
    };
    expect(validatePolicy(conflicting).ok).toBe(false);
    expect(parseForBuilder(JSON.stringify(conflicting)).ok).toBe(true);
  });
});

describe("builder edits", () => {
  it("change only the rule they edit, and keep tests, version and default", () => {
    const edit = fc.oneof(
      action.map((a) => (rule: PolicyRule) => withAction(rule, a)),
      fc.constantFrom("Ask finance first.", "", "  ").map((reason) => (rule: PolicyRule) => withReason(rule, reason)),
      fc.constant((rule: PolicyRule) => withLimit(rule, (rule.limits ?? []).length, { counter: "zz", window: "day", max: 2, scope: "server" })),
      fc.constant((rule: PolicyRule) => withLimit(rule, 0, null)),
      fc.constant((rule: PolicyRule) => withArgKeyword(rule, "a", "maxLength", 3)),
      fc.constant((rule: PolicyRule) => withArgKeyword(rule, "b", "enum", undefined)),
    );
    fc.assert(
      fc.property(withPattern, edit, ({ doc, pattern }, change) => {
        const next = updateRule(doc, pattern, change);
        expect(outside(next, pattern)).toEqual(outside(doc, pattern));
        expect(Object.keys(next.tools)).toEqual(Object.keys(doc.tools));
      }),
    );
  });

  it("undo each other: changing the action and back loses nothing but an approval timeout", () => {
    fc.assert(
      fc.property(withPattern, action, ({ doc, pattern }, other) => {
        const original = doc.tools[pattern]!.action ?? "allow";
        const next = updateRule(doc, pattern, (rule) => withAction(withAction(rule, other), original));
        const expected =
          original === "require_approval" && other !== original
            ? updateRule(doc, pattern, ({ approval_timeout_seconds: _dropped, ...rest }) => rest)
            : doc;
        expect(policiesEquivalent(next, expected)).toBe(true);
      }),
    );
  });

  it("undo each other: a keyword set then cleared, a limit added then removed, a rule removed then restored", () => {
    const keyword = fc.constantFrom<[BuilderKeyword, unknown]>(
      ["enum", ["x", "y"]],
      ["pattern", "^a"],
      ["minimum", 1],
      ["maximum", 9],
      ["maxLength", 4],
    );
    fc.assert(
      fc.property(withPattern, keyword, fc.constantFrom("a", "b", "fresh"), ({ doc, pattern }, [name, value], arg) => {
        const rule = doc.tools[pattern]!;
        const had = rule.args?.[arg]?.[name];
        const set = updateRule(doc, pattern, (r) => withArgKeyword(r, arg, name, value as never));
        const back = updateRule(set, pattern, (r) => withArgKeyword(r, arg, name, had as never));
        expect(policiesEquivalent(back, doc)).toBe(true);

        const added = updateRule(doc, pattern, (r) => withLimit(r, (r.limits ?? []).length, newLimit(doc, pattern)));
        expect(validatePolicy(added).ok).toBe(true);
        // An emptied `limits: []` goes away with its last limit; it meant nothing.
        expect(policiesEquivalent(updateRule(added, pattern, (r) => withLimit(r, (r.limits ?? []).length - 1, null)), doc)).toBe(true);

        expect(normalizePolicy(setRule(setRule(doc, pattern, null), pattern, rule))).toEqual(normalizePolicy(doc));
      }),
    );
  });

  it("apply recommended rules that are valid, and keep argument constraints and tests", () => {
    const risk = fc.record({ level: fc.constantFrom(...RISK_LEVELS), category: fc.constantFrom(...RISK_CATEGORIES) });
    fc.assert(
      fc.property(policy, fc.uniqueArray(fc.tuple(toolName, risk), { selector: ([name]) => name, maxLength: 5 }), (doc, list) => {
        const next = applyRecommendations(
          doc,
          list.map(([name, r]) => ({ name, rule: recommendRule({ name, ...r }) })),
        );
        // Replaced limits may leave a test's `usage` naming a counter no rule defines any more: shown, not hidden.
        const validation = validatePolicy(next);
        expect(validation.ok ? [] : validation.errors.map((e) => e.code).filter((c) => c !== "unknown_counter")).toEqual([]);
        expect(parseForBuilder(policyToText(next)).ok).toBe(true);
        expect(next.tests).toBe(doc.tests);
        for (const [name] of list) expect(next.tools[name]!.args).toEqual(doc.tools[name]?.args);
      }),
    );
  });

  it("hold a critical destructive tool for approval and rate-cap an execute one", () => {
    expect(withRecommendation(null, recommendRule({ name: "drop_table", level: "critical", category: "destructive" }))).toEqual({
      action: "require_approval",
      reason: "drop_table is a critical-risk Destructive tool: a person must approve each call.",
    });
    expect(withRecommendation({ action: "deny", reason: "No.", args: { a: { maximum: 1 } } }, recommendRule({ name: "run", level: "medium", category: "execute" }))).toEqual({
      args: { a: { maximum: 1 } },
      limits: [{ counter: "run_rate", window: "minute", max: 10, scope: "grant" }],
    });
  });

  it("never let a builder session produce a document it cannot open again", () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant("default" as const), value: fc.constantFrom("allow" as const, "deny" as const) }),
      fc.record({ kind: fc.constant("action" as const), pattern: toolName, value: action }),
      fc.record({ kind: fc.constant("remove" as const), pattern: toolName }),
      fc.record({ kind: fc.constant("limit" as const), pattern: toolName }),
      fc.record({ kind: fc.constant("counter" as const), pattern: toolName, value: fc.constantFrom("calls", "burst", "mine") }),
      fc.record({ kind: fc.constant("window" as const), pattern: toolName, value: fc.constantFrom("second" as const, "day" as const) }),
      fc.record({ kind: fc.constant("unlimit" as const), pattern: toolName }),
      fc.record({ kind: fc.constant("regex" as const), pattern: toolName, value: fc.constantFrom("^ok$", "(", "[") }),
    );
    fc.assert(
      fc.property(policy, fc.array(step, { maxLength: 12 }), (start, steps) => {
        let doc = start;
        for (const s of steps) {
          if (s.kind === "default") doc = setDefault(doc, s.value);
          else if (s.kind === "action") doc = updateRule(doc, s.pattern, (r) => withAction(r, s.value));
          else if (s.kind === "remove") doc = setRule(doc, s.pattern, null);
          else if (s.kind === "limit") doc = updateRule(doc, s.pattern, (r) => withLimit(r, (r.limits ?? []).length, newLimit(doc, s.pattern)));
          else if (s.kind === "unlimit") doc = updateRule(doc, s.pattern, (r) => withLimit(r, 0, null));
          else if (s.kind === "regex") doc = updateRule(doc, s.pattern, (r) => withArgKeyword(r, "q", "pattern", s.value));
          else {
            const rule = rulesOf(doc)[s.pattern];
            const first = rule?.limits?.[0];
            if (!first) continue;
            const changed = s.kind === "counter" ? { ...first, counter: s.value } : { ...first, window: s.value };
            doc = updateRule(doc, s.pattern, (r) => withLimit(r, 0, changed));
          }
        }
        expect(parseForBuilder(policyToText(doc)).ok).toBe(true);
      }),
    );
  });

  it("keep a rule for a tool named __proto__ an ordinary key", () => {
    const doc = setRule({ version: "1", default: "deny", tools: {} }, "__proto__", { action: "deny" });
    expect(Object.getPrototypeOf(doc.tools)).toBe(Object.prototype);
    expect(JSON.parse(policyToText(doc))).toEqual(JSON.parse('{"version":"1","default":"deny","tools":{"__proto__":{"action":"deny"}}}'));
    expect(Object.keys(withArgKeyword({}, "__proto__", "maxLength", 2).args ?? {})).toEqual(["__proto__"]);
  });
});

describe("counter names", () => {
  it("are valid for any tool name, and new limits never reuse a counter", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (name) => {
        expect(COUNTER_NAME.test(counterNameFor(name, "calls"))).toBe(true);
      }),
    );
    const doc: PolicyDocument = {
      version: "1",
      default: "deny",
      tools: { echo: { limits: [{ counter: "echo_calls", window: "minute", max: 1, scope: "grant" }] } },
    };
    expect(newLimit(doc, "echo")).toEqual({ counter: "echo_calls_2", window: "minute", max: 10, scope: "grant" });
    expect(newLimit(doc, "get sum")).toEqual({ counter: "get_sum_calls", window: "minute", max: 10, scope: "grant" });
  });
});
