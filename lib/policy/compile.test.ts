import { describe, expect, it } from "vitest";
import { compilePolicy, matchByScan } from "@/lib/policy/compile";
import { evaluate } from "@/lib/policy/evaluate";
import type { PolicyDocument } from "@/lib/policy/types";

const DOC: PolicyDocument = {
  version: "1",
  default: "deny",
  tools: {
    "*": {},
    "get_*": { action: "deny" },
    get_user: {},
    "*_admin": { action: "require_approval" },
    "a?c": {},
    ["__proto__"]: { action: "deny" },
  },
};

describe("compilePolicy", () => {
  it("orders rules by precedence: exact names, then globs from most to least specific", () => {
    expect(compilePolicy(DOC).rules.map((r) => r.pattern)).toEqual(["__proto__", "get_user", "*_admin", "get_*", "a?c", "*"]);
  });

  it.each([
    ["get_user", "get_user"],
    ["get_team", "get_*"],
    ["get_admin", "*_admin"],
    ["abc", "a?c"],
    ["__proto__", "__proto__"],
    ["constructor", "*"],
    ["", "*"],
  ])("matches %j to %j, the same with and without the memo", (tool, pattern) => {
    for (const cacheSize of [0, 1, 10_000]) {
      const c = compilePolicy(DOC, { cacheSize });
      expect(c.match(tool)?.pattern).toBe(pattern);
      expect(c.match(tool)?.pattern).toBe(pattern);
      expect(matchByScan(c, tool)?.pattern).toBe(pattern);
    }
  });

  it("keeps answering correctly once the memo is full", () => {
    const c = compilePolicy(DOC, { cacheSize: 2 });
    for (let round = 0; round < 3; round++) {
      for (const tool of ["get_a", "x_admin", "abc", "zzz", "get_user"]) expect(c.match(tool)).toBe(matchByScan(c, tool));
    }
  });

  it("matches very long names without memoising them", () => {
    const c = compilePolicy(DOC);
    expect(c.match("get_" + "x".repeat(10_000))?.pattern).toBe("get_*");
  });

  it("can compile argument validators eagerly", () => {
    const doc: PolicyDocument = { version: "1", default: "deny", tools: { t: { args: { n: { maximum: 3 } } } } };
    const c = compilePolicy(doc, { eagerValidators: true });
    const ctx = { now: 0, grantId: "g", serverId: "s", usage: () => 0 };
    expect(evaluate(c, { tool: "t", args: { n: 4 } }, ctx).code).toBe("argument_violation");
  });

  it("fails closed when a rule's argument check cannot run", () => {
    const c = compilePolicy({ version: "1", default: "allow", tools: { t: { args: { n: { maximum: 3 } } } } });
    const rule = c.match("t")!;
    const broken = { ...rule, checkArgs: () => { throw new Error("boom"); } };
    const d = evaluate({ ...c, match: () => broken }, { tool: "t", args: {} }, { now: 0, grantId: "g", serverId: "s", usage: () => 0 });
    expect(d).toMatchObject({ decision: "deny", code: "policy_error" });
  });
});
