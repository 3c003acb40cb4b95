import { describe, expect, it } from "vitest";
import { loadRiskSet } from "@/lib/risk-set/load-risk-set";
import { loadSecondOpinions, scoreAgreement } from "@/lib/risk-set/second-opinion";
import type { RiskLabel } from "@/lib/risk/score";

const label = (category: RiskLabel["category"], min: RiskLabel["min"], max: RiskLabel["max"] = min): RiskLabel => ({ category, min, max, reason: "r" });

describe("scoreAgreement", () => {
  it("counts a second range at worst only when all of it passes, at best when part of it does", () => {
    const agreement = scoreAgreement([
      { first: label("destructive", "high"), second: label("destructive", "medium", "high") },
      { first: label("read", "low"), second: label("read", "low", "medium") },
      { first: label("write", "medium"), second: label("execute", "high") },
      { first: label("write", "medium", "high"), second: label("write", "medium") },
    ]);
    expect(agreement.tools).toBe(4);
    expect(agreement.category).toEqual({ hits: 3, of: 4 });
    // Only the first tool is dangerous to the first reviewer; the second's medium..high passes at best only.
    expect(agreement.dangerous).toEqual({ atWorst: { hits: 0, of: 1 }, atBest: { hits: 1, of: 1 } });
    // Benign to the first: tools 2 and 3; the second put tool 3 at High either way.
    expect(agreement.benign).toEqual({ atWorst: { hits: 1, of: 2 }, atBest: { hits: 1, of: 2 } });
    // In range: tool 4 fully (medium inside medium..high); tools 1 and 2 meet it; tool 3 does not.
    expect(agreement.inRange).toEqual({ atWorst: { hits: 1, of: 4 }, atBest: { hits: 3, of: 4 } });
  });
});

describe("risk-set/second-opinion", () => {
  it("labels only tools the first reviewers labelled, with valid ranges, from both halves", () => {
    const opinions = loadSecondOpinions(loadRiskSet());
    expect(opinions.length).toBeGreaterThanOrEqual(200);
    expect(opinions.some((opinion) => opinion.half === "tune")).toBe(true);
    expect(opinions.some((opinion) => opinion.half === "holdout")).toBe(true);
    const keys = opinions.map((opinion) => `${opinion.scored.server}\n${opinion.scored.tool}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
