import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { compareGlobs, globAffixes, globCovers, globMatch, isGlob } from "@/lib/policy/glob";

/** An independent reference: the glob as an anchored regular expression (fine for the short strings of tests). */
function reference(pattern: string, name: string): boolean {
  const source = [...pattern].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))).join("");
  return new RegExp(`^${source}$`, "s").test(name);
}

describe("globMatch", () => {
  it.each([
    ["get_*", "get_user", true],
    ["get_*", "get_", true],
    ["get_*", "get", false],
    ["get_*", "xget_user", false],
    ["*_admin", "grant_admin", true],
    ["*_admin", "grant_admins", false],
    ["*", "", true],
    ["*", "anything at all", true],
    ["?", "a", true],
    ["?", "", false],
    ["?", "ab", false],
    ["get_?", "get_a", true],
    ["get_?", "get_ab", false],
    ["a*b*c", "abc", true],
    ["a*b*c", "axxbyyc", true],
    ["a*b*c", "axxcyyb", false],
    ["*a*a*a*b", "a".repeat(5000), false],
    ["Get_*", "get_user", false],
    ["exact", "exact", true],
    ["exact", "exactly", false],
    ["a.b", "aXb", false],
    ["a.b", "a.b", true],
  ])("%j against %j is %s", (pattern, name, expected) => {
    expect(globMatch(pattern, name)).toBe(expected);
  });

  it("answers quickly on names built to make backtracking matchers explode", () => {
    // Counted character reads, not time, so a busy machine cannot fail it: at most two per pair of a name character
    // and a pattern character (4,009 in all here), where a backtracking matcher tries every way to share 2,000
    // characters among seven stars.
    const pattern = "*a*a*a*a*a*a*a*b";
    const name = "a".repeat(2000);
    const reads = vi.spyOn(String.prototype, "charCodeAt");
    let matched: boolean;
    let count: number;
    try {
      matched = globMatch(pattern, name);
      count = reads.mock.calls.length;
    } finally {
      reads.mockRestore();
    }
    expect(matched).toBe(false);
    expect(count).toBeGreaterThan(name.length);
    expect(count).toBeLessThanOrEqual(2 * (name.length + 1) * (pattern.length + 1));
  });

  it("agrees with a regular-expression reference on arbitrary patterns and names", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ab*?]{0,6}$/), fc.stringMatching(/^[ab]{0,8}$/), (pattern, name) => {
        expect(globMatch(pattern, name)).toBe(reference(pattern, name));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("compareGlobs (precedence among globs)", () => {
  it.each([
    // [more specific, less specific, why]
    ["get_user_*", "get_*", "more literal characters"],
    ["get_?", "get_*", "same literals, no `*`"],
    ["?", "*", "`?` beats `*`"],
    ["a??", "a*", "`*` loses to a run of `?`"],
    ["a?*", "a*", "same literals and stars, one more `?`"],
    ["*_admin", "get_*", "more literal characters, wherever they are"],
    ["a*", "b*", "tie broken by code-unit order"],
    ["*", "**", "fewer stars"],
  ])("%j wins over %j (%s)", (winner, loser) => {
    expect(compareGlobs(winner, loser)).toBeLessThan(0);
    expect(compareGlobs(loser, winner)).toBeGreaterThan(0);
  });

  it("is a total order: sorting gives the same result from any starting order", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[ab*?]{1,4}$/), { maxLength: 12 }), (patterns) => {
        const sorted = [...patterns].sort(compareGlobs);
        expect([...patterns].reverse().sort(compareGlobs)).toEqual(sorted);
      }),
    );
  });
});

describe("isGlob and globAffixes", () => {
  it.each([
    ["get_user", false, "get_user", ""],
    ["get_*", true, "get_", ""],
    ["*_admin", true, "", "_admin"],
    ["a*b?c", true, "a", "c"],
    ["*", true, "", ""],
  ])("%j", (pattern, glob, prefix, suffix) => {
    expect(isGlob(pattern)).toBe(glob);
    expect(globAffixes(pattern)).toEqual({ prefix, suffix });
  });
});

describe("globCovers", () => {
  it.each([
    ["*", "get_*", true],
    ["get_*", "get_user_*", true],
    ["get_*", "get_?", true],
    ["get_?*", "get_??", true],
    ["*", "**", true],
    ["get_?", "get_*", false],
    ["get_*", "*_admin", false],
    ["a*", "b*", false],
  ])("%j covers %j: %s", (general, specific, expected) => {
    expect(globCovers(general, specific)).toBe(expected);
  });

  it("never claims a cover that a name disproves (it is sound)", () => {
    let tried = 0;
    fc.assert(
      fc.property(
        fc.stringMatching(/^[ab*?]{1,4}$/),
        fc.stringMatching(/^[ab*?]{1,4}$/),
        fc.array(fc.stringMatching(/^[ab]{0,6}$/), { maxLength: 20 }),
        (general, specific, names) => {
          if (!globCovers(general, specific)) return;
          for (const name of names) {
            if (!globMatch(specific, name)) continue;
            tried++;
            expect(globMatch(general, name)).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
    // Claimed covers with a name the specific glob matches must have come up, or soundness was never tested.
    expect(tried).toBeGreaterThan(100);
  });
});
