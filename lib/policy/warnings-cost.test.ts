import { describe, expect, it, vi } from "vitest";
import { validatePolicy } from "@/lib/policy/schema";
import type { PolicyRule } from "@/lib/policy/types";
import { policyWarnings } from "@/lib/policy/warnings";

// A big policy's warnings against a big server: the work grows with rules × tools, never faster. The glob tests and
// nearest-name searches are counted, not timed, so the test never flakes on a busy machine.
const counted = vi.hoisted(() => ({ globMatch: 0, globCovers: 0, globAffixes: 0, closest: 0 }));

vi.mock("@/lib/policy/glob", async (importOriginal) => {
  const glob = await importOriginal<typeof import("@/lib/policy/glob")>();
  return {
    ...glob,
    globMatch: (pattern: string, name: string) => (counted.globMatch++, glob.globMatch(pattern, name)),
    globCovers: (general: string, specific: string) => (counted.globCovers++, glob.globCovers(general, specific)),
    globAffixes: (pattern: string) => (counted.globAffixes++, glob.globAffixes(pattern)),
  };
});
vi.mock("@/lib/policy/describe", async (importOriginal) => {
  const words = await importOriginal<typeof import("@/lib/policy/describe")>();
  return { ...words, closest: (word: string, candidates: Iterable<string>) => (counted.closest++, words.closest(word, candidates)) };
});

describe("policyWarnings on a 1,000-rule policy and 1,000 tools", () => {
  it("tests each glob once per tool name, each pair of globs once, and looks for a near name once per unknown tool", () => {
    const tools: Record<string, PolicyRule> = {};
    for (let i = 0; i < 400; i++) tools[`tool_${i}`] = {};
    for (let i = 0; i < 300; i++) tools[`svc${i}_*`] = {};
    for (let i = 0; i < 299; i++) tools[`*_op${i}`] = {};
    tools["*"] = {};
    // 500 tool_<odd> names and 500 svc<even>_read names, of which 150 differ.
    const names = Array.from({ length: 1000 }, (_, i) => (i % 2 ? `tool_${i}` : `svc${i % 300}_read`));
    const valid = validatePolicy({ version: "1", default: "deny", tools });
    if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
    const globs = 600;
    const distinctNames = 650;

    for (const key of Object.keys(counted) as (keyof typeof counted)[]) counted[key] = 0;
    const warnings = policyWarnings(valid.document, { toolNames: names });

    // `*` makes `default` unused; the 200 tool_<even> rules name no tool; 150 svc globs and the 299 *_op globs match none.
    const codes: Record<string, number> = {};
    for (const warning of warnings) codes[warning.code] = (codes[warning.code] ?? 0) + 1;
    expect(codes).toEqual({ default_unused: 1, unknown_tool: 200, no_matching_tool: 449 });
    // 390,000, 0, 180,900 and 200 when this was written; a glob tested per pair of globs and name would be 10^8.
    expect(counted.globMatch).toBeGreaterThan(0);
    expect(counted.globMatch).toBeLessThanOrEqual(globs * distinctNames);
    expect(counted.globCovers + counted.globAffixes).toBeLessThanOrEqual(globs * globs);
    expect(counted.closest).toBe(200);
  });
});
