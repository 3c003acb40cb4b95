import { describe, expect, it } from "vitest";
import { loadRiskSet } from "@/lib/risk-set/load-risk-set";
import { isBenign, isDangerous, ratio, RISK_GOALS, scoreRisk, type RiskScore } from "@/lib/risk/score";

// The labelled set of real tool definitions (risk-set/, see its README) and the classifier's figures on its held-out
// half. The goals (RISK_GOALS) are not all met yet: HELD_OUT_FLOOR holds what this classifier measured, so any change
// that makes the held-out half worse fails here. Raise the floor when a change improves it; it ends at the goals.
// Measured on the set as it grew to 162 servers (1,343 held-out tools; 2026-12-08): classifier 2026.12.6 85.6 / 76.5 /
// 92.5 / 80.1 %, 2026.12.5 85.3 / 74.5 / 92.5 / 79.9 %. The set before, 118 servers (940 held-out tools), measured 85.1 / 77.3 / 91.9 / 79.9 % with
// the same classifier: the 25 servers the growth added to the held-out half lowered its dangerous recall (the 44 new
// servers were crawled for tools that move money, send mail or change data). Earlier classifiers on the 118 servers: 2026.12.4 84.9 / 77.3 / 91.9 /
// 79.8 %, 2026.12.3 84.8 / 77.3 / 91.9 / 79.6 %, 2026.12.2 84.4 / 76.2 / 91.5 / 77.9 %, 2026.12 84.3 / 76.8 / 92.0 /
// 78.3 %.
const HELD_OUT_FLOOR = { category: 0.855, dangerousRecall: 0.764, benignKept: 0.924, inRange: 0.801 } as const;

const set = loadRiskSet();
const all = [...set.halves.tune, ...set.halves.holdout];

describe("risk-set", () => {
  it("holds at least 600 real, labelled tool definitions, at least 250 of them benign", () => {
    expect(all.length).toBeGreaterThanOrEqual(600);
    expect(all.filter((tool) => isBenign(tool.label)).length).toBeGreaterThanOrEqual(250);
    expect(all.filter((tool) => isDangerous(tool.label)).length).toBeGreaterThanOrEqual(100);
  });

  it("is split by server: no server has tools in both halves, and each half has a fair share", () => {
    const tune = new Set(set.servers.tune);
    expect(set.servers.holdout.filter((server) => tune.has(server))).toEqual([]);
    expect(set.halves.holdout.length / all.length).toBeGreaterThan(0.4);
    expect(set.halves.holdout.length / all.length).toBeLessThan(0.6);
  });
});

describe("the classifier on the held-out half", () => {
  const score: RiskScore = scoreRisk(set.halves.holdout);
  it.each(Object.keys(HELD_OUT_FLOOR) as (keyof typeof HELD_OUT_FLOOR)[])("%s does not drop below the floor measured for this classifier", (metric) => {
    const value = ratio(score[metric]);
    expect(value, `${metric} is ${(value * 100).toFixed(1)} % (goal ${RISK_GOALS[metric] * 100} %)`).toBeGreaterThanOrEqual(HELD_OUT_FLOOR[metric]);
  });

  it("keeps the floor at or below the goals, so meeting a goal is never a lower bar", () => {
    for (const metric of Object.keys(HELD_OUT_FLOOR) as (keyof typeof HELD_OUT_FLOOR)[]) {
      expect(HELD_OUT_FLOOR[metric]).toBeLessThanOrEqual(RISK_GOALS[metric]);
    }
  });
});
