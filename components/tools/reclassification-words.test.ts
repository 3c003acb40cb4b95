import { describe, expect, it } from "vitest";
import { describeReclassification, summarizeRule } from "@/components/tools/reclassification-words";
import { recommendRule, RECOMMENDED_RATE_LIMIT } from "@/lib/risk";
import { classifierRelease } from "@/lib/risk/version";

describe("describeReclassification", () => {
  const release = classifierRelease(2);
  it.each([
    [{ category: "write", level: "high" }, { category: "write", level: "medium" }, `Level High → Medium, classifier ${release}`],
    [{ category: "write", level: "low" }, { category: "read", level: "low" }, `Category Write → Read, classifier ${release}`],
    [{ category: "execute", level: "high" }, { category: "read", level: "low" }, `Level High → Low, category Execute → Read, classifier ${release}`],
  ] as const)("%o → %o", (before, after, words) => {
    expect(describeReclassification({ ...before, classifierVersion: 1 }, { ...after, classifierVersion: 2 })).toBe(words);
  });
});

describe("summarizeRule", () => {
  it.each([
    [{ category: "read", level: "low" }, "allowed with no limit"],
    [{ category: "write", level: "high" }, `at most ${RECOMMENDED_RATE_LIMIT.max} calls a ${RECOMMENDED_RATE_LIMIT.window} for each key`],
    [{ category: "destructive", level: "critical" }, "a person approves each call"],
  ] as const)("the rule recommended for %o", (risk, words) => {
    expect(summarizeRule(recommendRule({ name: "a_tool", ...risk }) as Record<string, unknown>)).toBe(words);
  });

  it("names a denial and a cap shared by every key", () => {
    expect(summarizeRule({ action: "deny" })).toBe("deny every call");
    expect(summarizeRule({ limits: [{ counter: "c", window: "hour", max: 3, scope: "server" }] })).toBe("at most 3 calls an hour for all keys together");
  });
});
