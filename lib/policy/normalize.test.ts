import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/policy/canonical-json";
import { compilePolicy } from "@/lib/policy/compile";
import { evaluate } from "@/lib/policy/evaluate";
import { normalizePolicy, policiesEquivalent } from "@/lib/policy/normalize";
import { call as arbitraryCall, COUNTERS, policy as arbitraryPolicy } from "@/lib/policy/policy-arbitraries.test-support";
import { validatePolicy } from "@/lib/policy/schema";
import type { PolicyDocument } from "@/lib/policy/types";

const SEED: PolicyDocument = {
  version: "1",
  default: "deny",
  tools: { invoke_agent_runtime: { limits: [{ counter: "invoke_agent_runtime_rate", window: "minute", max: 10, scope: "grant" }] } },
};

describe("normalizePolicy", () => {
  it("sorts keys everywhere and drops what the language defines as absent", () => {
    const doc = validatePolicy({
      tools: {
        b: { action: "allow", limits: [], args: {} },
        a: {
          reason: "r",
          action: "deny",
          args: { y: {}, x: { uniqueItems: false, minLength: 0, minItems: 0, additionalProperties: true, items: {}, properties: { p: {} }, required: [], type: ["string"], maxLength: 3 } },
          limits: [
            { scope: "grant", max: 2, window: "hour", counter: "z" },
            { counter: "a", window: "day", max: 1, scope: "server" },
          ],
        },
      },
      default: "allow",
      version: "1",
      tests: [{ expect: "allow", tool: "b", args: {}, usage: { z: 0 } }],
    });
    if (!doc.ok) throw new Error("unreachable");
    expect(JSON.stringify(normalizePolicy(doc.document))).toBe(
      JSON.stringify({
        default: "allow",
        tests: [{ expect: "allow", tool: "b" }],
        tools: {
          a: {
            action: "deny",
            args: { x: { maxLength: 3, type: "string" } },
            limits: [
              { counter: "a", max: 1, scope: "server", window: "day" },
              { counter: "z", max: 2, scope: "grant", window: "hour" },
            ],
            reason: "r",
          },
          b: {},
        },
        version: "1",
      }),
    );
  });

  it("keeps the order of enum values, types and tests (they show in messages and reports)", () => {
    const doc: PolicyDocument = {
      version: "1",
      default: "deny",
      tools: { t: { args: { x: { enum: ["b", "a"], type: ["string", "null"] } } } },
      tests: [{ tool: "t", expect: "deny" }, { tool: "a", expect: "allow" }],
    };
    const normal = normalizePolicy(doc);
    expect(normal.tools.t?.args?.x).toEqual({ enum: ["b", "a"], type: ["string", "null"] });
    expect(normal.tests?.map((t) => t.tool)).toEqual(["t", "a"]);
  });

  it("treats an omitted action as allow and the seed as equal to its spelled-out form", () => {
    const spelled: PolicyDocument = {
      ...SEED,
      tools: { invoke_agent_runtime: { action: "allow", args: {}, limits: [{ scope: "grant", max: 10, window: "minute", counter: "invoke_agent_runtime_rate" }] } },
    };
    expect(policiesEquivalent(SEED, spelled)).toBe(true);
    expect(policiesEquivalent(SEED, { ...SEED, default: "allow" })).toBe(false);
  });

  it("keeps a tool pattern named __proto__ as data", () => {
    const doc = validatePolicy(JSON.parse('{"version": "1", "default": "deny", "tools": {"__proto__": {"action": "deny"}}}'));
    if (!doc.ok) throw new Error("unreachable");
    expect(Object.keys(normalizePolicy(doc.document).tools)).toEqual(["__proto__"]);
  });
});

describe("normalizePolicy on generated policies", () => {
  it("is idempotent, stays valid, and survives a JSON round trip", () => {
    fc.assert(
      fc.property(arbitraryPolicy, (doc) => {
        const once = normalizePolicy(doc);
        expect(canonicalJson(normalizePolicy(once))).toBe(canonicalJson(once));
        expect(JSON.stringify(normalizePolicy(once))).toBe(JSON.stringify(once));
        expect(validatePolicy(once).errors).toEqual([]);
        expect(normalizePolicy(JSON.parse(JSON.stringify(doc)))).toEqual(once);
        expect(policiesEquivalent(doc, once)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("preserves every evaluation result", () => {
    fc.assert(
      fc.property(
        arbitraryPolicy,
        fc.array(arbitraryCall, { minLength: 1, maxLength: 10 }),
        fc.dictionary(fc.constantFrom(...Object.keys(COUNTERS)), fc.integer({ min: 0, max: 6 })),
        (doc, calls, usage) => {
          const original = compilePolicy(doc);
          const normal = compilePolicy(normalizePolicy(doc));
          const ctx = { now: Date.UTC(2025, 5, 1, 8, 30, 15), grantId: "g", serverId: "s", usage: (_k: string, c: string) => usage[c] ?? 0 };
          for (const c of calls) expect(evaluate(normal, c, ctx)).toEqual(evaluate(original, c, ctx));
        },
      ),
      { numRuns: 300 },
    );
  });
});
