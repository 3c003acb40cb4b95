import { describe, expect, it, vi } from "vitest";
import { compilePolicy } from "@/lib/policy/compile";
import { evaluate } from "@/lib/policy/evaluate";
import { globMatch, MAX_TOOL_NAME_LENGTH } from "@/lib/policy/glob";
import { presentTool } from "@/lib/policy/narrow-schema";
import type { EvaluationContext, PolicyRule } from "@/lib/policy/types";

// Tool names come from agents, and a glob's cost grows with name × pattern: matching stays bounded whatever the name.
const context: EvaluationContext = { now: Date.UTC(2025, 0, 1), grantId: "g", serverId: "s", usage: () => 0 };

// The real matcher, counted: how many glob tests one name costs is a count, not a time, so it never flakes under load.
vi.mock("@/lib/policy/glob", async (importOriginal) => {
  const glob = await importOriginal<typeof import("@/lib/policy/glob")>();
  return { ...glob, globMatch: vi.fn(glob.globMatch) };
});

describe("tool names against globs", () => {
  it("tests each glob once per name, however often the name repeats its literal part", () => {
    // 60 globs filed under the bigram "_a"; a name that is "_a" 512 times used to test every one at each "_a".
    const tools: Record<string, PolicyRule> = {};
    for (let k = 0; k < 60; k++) tools[`*_a${"b".repeat(k + 1)}*`] = {};
    const policy = compilePolicy({ version: "1", default: "deny", tools }, { cacheSize: 0 });
    const name = "_a".repeat(MAX_TOOL_NAME_LENGTH / 2);
    vi.mocked(globMatch).mockClear();
    expect(evaluate(policy, { tool: name, args: {} }, context).code).toBe("denied_by_default");
    // Each of the 60 globs at most once; testing every glob at each of the 512 places was 30,720 tests.
    expect(vi.mocked(globMatch).mock.calls.length).toBeGreaterThan(0);
    expect(vi.mocked(globMatch).mock.calls.length).toBeLessThanOrEqual(60);
  });

  it(`refuses names over ${MAX_TOOL_NAME_LENGTH} characters unmatched, and hides them`, () => {
    const policy = compilePolicy({ version: "1", default: "allow", tools: { "*": {} } });
    const longest = "t".repeat(MAX_TOOL_NAME_LENGTH);
    expect(evaluate(policy, { tool: longest, args: {} }, context).code).toBe("allowed");
    const refused = evaluate(policy, { tool: `${longest}x`, args: {} }, context);
    expect(refused).toMatchObject({
      decision: "deny",
      code: "denied_by_default",
      matchedRule: null,
      reason: "Denied: the tool name is 1,025 characters long, and the policy only matches names of up to 1,024. Do not retry this call.",
    });
    expect(presentTool(policy, { name: `${longest}x`, inputSchema: { type: "object" } })).toBeNull();
    expect(presentTool(policy, { name: longest, inputSchema: { type: "object" } })).toMatchObject({ name: longest });
  });
});
