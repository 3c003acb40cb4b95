import { describe, expect, it } from "vitest";
import { validatePolicy } from "@/lib/policy/schema";
import type { PolicyDocument, PolicyRule } from "@/lib/policy/types";
import { policyWarnings } from "@/lib/policy/warnings";

function doc(tools: Record<string, PolicyRule>, defaultAction: "allow" | "deny" = "deny"): PolicyDocument {
  const result = validatePolicy({ version: "1", default: defaultAction, tools });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.document;
}

const SERVER_TOOLS = ["get_user", "get_team", "list_users", "delete_user", "invoke_agent_runtime"];
const summary = (tools: Record<string, PolicyRule>, toolNames?: string[]) =>
  policyWarnings(doc(tools), { toolNames }).map((w) => `${w.code} ${w.path}`);

describe("policyWarnings", () => {
  it("has nothing to say about the seed policy, with or without the server's tools", () => {
    const seed = { invoke_agent_runtime: { limits: [{ counter: "invoke_agent_runtime_rate", window: "minute" as const, max: 10, scope: "grant" as const }] } };
    expect(summary(seed)).toEqual([]);
    expect(summary(seed, SERVER_TOOLS)).toEqual([]);
  });

  it.each<[string, Record<string, PolicyRule>, string[] | undefined, string[]]>([
    ["an exact name the server lacks", { get_usr: {} }, SERVER_TOOLS, ["unknown_tool /tools/get_usr"]],
    ["a glob that matches none of the server's tools", { "create_*": {} }, SERVER_TOOLS, ["no_matching_tool /tools/create_*"]],
    ["no server check without the server's tools", { get_usr: {}, "create_*": {} }, undefined, []],
    ["an approval timeout the SDKs' clients do not wait for", { run: { action: "require_approval", approval_timeout_seconds: 60 } }, undefined, ["approval_outlasts_clients /tools/run/approval_timeout_seconds"]],
    ["an approval timeout under it", { run: { action: "require_approval", approval_timeout_seconds: 59 } }, undefined, []],
    ["a glob covered by a more specific glob", { "get_*": {}, "get_**": { action: "deny" } }, undefined, ["shadowed_rule /tools/get_**"]],
    ["`*` and a second all-star pattern", { "*": {}, "**": {} }, undefined, ["default_unused /default", "shadowed_rule /tools/**"]],
    ["a glob whose every tool has a more specific rule", { get_user: {}, get_team: {}, "get_*": { action: "deny" } }, SERVER_TOOLS, ["shadowed_rule /tools/get_*"]],
    ["no shadow warning while the glob still decides one tool", { get_user: {}, "get_*": { action: "deny" } }, SERVER_TOOLS, []],
    ["no shadow warning for overlapping globs where neither covers the other", { "get_*": {}, "*_user": {} }, undefined, []],
    ["limits on a deny rule", { delete_user: { action: "deny", limits: [{ counter: "d", window: "day", max: 1, scope: "grant" }] } }, undefined, ["limit_never_counts /tools/delete_user/limits"]],
    ["argument constraints on a deny rule", { delete_user: { action: "deny", args: { id: { maxLength: 3 } } } }, undefined, ["args_never_checked /tools/delete_user/args"]],
    ["a `*` rule makes the default unused", { "*": { action: "require_approval" } }, undefined, ["default_unused /default"]],
    ["minimum above maximum", { t: { args: { n: { minimum: 5, maximum: 1 } } } }, undefined, ["unsatisfiable_constraint /tools/t/args/n/minimum"]],
    ["exclusive bounds that meet", { t: { args: { n: { exclusiveMinimum: 1, exclusiveMaximum: 1 } } } }, undefined, ["unsatisfiable_constraint /tools/t/args/n/exclusiveMinimum"]],
    ["minLength above maxLength, nested", { t: { args: { o: { properties: { s: { minLength: 4, maxLength: 2 } } } } } }, undefined, ["unsatisfiable_constraint /tools/t/args/o/properties/s/minLength"]],
    ["minItems above maxItems", { t: { args: { a: { minItems: 3, maxItems: 1 } } } }, undefined, ["unsatisfiable_constraint /tools/t/args/a/minItems"]],
    ["equal bounds are fine", { t: { args: { n: { minimum: 1, maximum: 1 }, s: { minLength: 2, maxLength: 2 } } } }, undefined, []],
  ])("%s", (_name, tools, toolNames, expected) => {
    expect(summary(tools, toolNames)).toEqual(expected);
  });

  it("explains itself in sentences, with a suggestion for a misspelt tool", () => {
    const warnings = policyWarnings(doc({ get_usr: {}, get_user: {}, get_team: {}, "get_*": {}, "create_*": {} }), { toolNames: SERVER_TOOLS });
    expect(warnings.map((w) => w.message)).toEqual([
      "This server has no tool named `get_usr` (did you mean `get_user`?): the rule has no effect unless such a tool appears.",
      "The rule for tools matching `get_*` applies to none of this server's tools: `get_user` and `get_team` each have a more specific rule (`get_user` and `get_team`).",
      "The pattern `create_*` matches none of this server's 5 tools: the rule has no effect for now.",
    ]);
  });

  it("names the covering rule of a shadowed glob", () => {
    const [warning] = policyWarnings(doc({ "a*": {}, "a**": {} }));
    expect(warning?.message).toBe(
      "The rule for tools matching `a**` never applies: every name it matches is matched first by the more specific rule `a*` (see the precedence rules).",
    );
  });

  // A 1,000-rule policy against 1,000 tools: lib/policy/warnings-cost.test.ts counts the work (the glob functions are
  // counted there, through a module mock this file does not want).
});
