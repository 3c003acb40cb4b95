import { describe, expect, it } from "vitest";
import { mergeProposedRule, replaceRule } from "@/components/policy/catalog-proposal";

const LIMIT = { limits: [{ counter: "write_rate", window: "minute", max: 10, scope: "grant" }] };
const policy = (tools: Record<string, unknown>) => JSON.stringify({ version: "1", default: "deny", tools }, null, 2);

describe("mergeProposedRule", () => {
  it("adds the rule for a tool the policy does not name, keeping every other rule", () => {
    const merge = mergeProposedRule(policy({ read: {} }), "write", LIMIT);
    expect(merge).toMatchObject({ kind: "added", coveredBy: null });
    if (merge.kind !== "added") throw new Error("not added");
    expect(JSON.parse(merge.text)).toEqual({ version: "1", default: "deny", tools: { read: {}, write: LIMIT } });
  });

  it("says which glob decided the tool's calls before the exact rule", () => {
    const merge = mergeProposedRule(policy({ "wri*": { action: "require_approval" }, "*": { action: "deny" } }), "write", LIMIT);
    expect(merge).toMatchObject({ kind: "added", coveredBy: "wri*" });
  });

  it("reports the same rule, however it is written, as already there", () => {
    const reordered = { limits: [{ scope: "grant", max: 10, window: "minute", counter: "write_rate" }], action: "allow" };
    expect(mergeProposedRule(policy({ write: reordered }), "write", LIMIT)).toEqual({ kind: "same" });
    expect(mergeProposedRule(policy({ echo: {} }), "echo", {})).toEqual({ kind: "same" });
  });

  it("never overwrites another rule for the tool: it is a conflict, with the rule that is there", () => {
    const mine = { action: "deny", reason: "Not in production." };
    expect(mergeProposedRule(policy({ write: mine }), "write", LIMIT)).toEqual({ kind: "conflict", existing: mine });
  });

  it("gives up on text that is not a policy object", () => {
    expect(mergeProposedRule("{ not json", "write", LIMIT)).toEqual({ kind: "unreadable" });
    expect(mergeProposedRule("[]", "write", LIMIT)).toEqual({ kind: "unreadable" });
    expect(mergeProposedRule('{"version":"1","default":"deny"}', "write", LIMIT)).toEqual({ kind: "unreadable" });
  });

  it("keeps a tool named __proto__ an ordinary rule", () => {
    const merge = mergeProposedRule(policy({}), "__proto__", LIMIT);
    if (merge.kind !== "added") throw new Error("not added");
    expect(Object.keys(JSON.parse(merge.text).tools)).toEqual(["__proto__"]);
  });
});

describe("replaceRule", () => {
  it("puts the catalog's rule in place of the one there", () => {
    const text = replaceRule(policy({ write: { action: "deny" }, read: {} }), "write", LIMIT);
    expect(JSON.parse(text!).tools).toEqual({ write: LIMIT, read: {} });
  });
});
