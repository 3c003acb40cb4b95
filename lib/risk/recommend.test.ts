import { describe, expect, it } from "vitest";
import { classifyTool } from "@/lib/risk/classify";
import {
  RISK_CATEGORY_DESCRIPTIONS,
  RISK_CATEGORY_LABELS,
  RISK_LEVEL_LABELS,
  compareRiskLevels,
  riskCategoryLabel,
  riskLevelLabel,
} from "@/lib/risk/labels";
import { validatePolicy } from "@/lib/policy/schema";
import { recommendPolicy, recommendRule } from "@/lib/risk/recommend";
import { RISK_CATEGORIES, RISK_LEVELS, type RiskCategory, type RiskLevel } from "@/lib/risk/types";

const rate = (name: string) => ({ limits: [{ counter: `${name}_rate`, window: "minute", max: 10, scope: "grant" }] });
const approval = (name: string, label: string) => ({
  action: "require_approval",
  reason: `${name} is a critical-risk ${label} tool: a person must approve each call.`,
});

describe("recommendRule", () => {
  it.each<[RiskCategory, RiskLevel, object]>([
    ["read", "low", {}],
    ["read", "medium", {}],
    ["write", "low", {}],
    ["write", "medium", {}],
    ["communication", "medium", {}],
    ["read", "high", rate("tool")],
    ["write", "high", rate("tool")],
    ["communication", "high", rate("tool")],
    ["execute", "high", rate("tool")],
    ["execute", "critical", rate("tool")],
    ["destructive", "high", rate("tool")],
    ["financial", "high", rate("tool")],
    ["access_control", "high", rate("tool")],
    ["destructive", "critical", approval("tool", "Destructive")],
    ["financial", "critical", approval("tool", "Financial")],
    ["access_control", "critical", approval("tool", "Access control")],
  ])("recommends for %s at %s", (category, level, rule) => {
    expect(recommendRule({ name: "tool", category, level })).toEqual(rule);
  });

  it("gives every category and level combination a rule in the v1 format", () => {
    const shapes = { approval: 0, rateCap: 0, allowed: 0 };
    for (const category of RISK_CATEGORIES) {
      for (const level of RISK_LEVELS) {
        const rule = recommendRule({ name: "x", category, level });
        expect(Object.keys(rule).every((key) => ["action", "reason", "limits"].includes(key))).toBe(true);
        // Each rule is one of the three shapes, whole: an approval says why, a cap names its counter.
        if (rule.action === "require_approval") {
          shapes.approval++;
          expect(rule).toEqual(approval("x", RISK_CATEGORY_LABELS[category]));
        } else if (rule.limits) {
          shapes.rateCap++;
          expect(rule).toEqual(rate("x"));
        } else {
          shapes.allowed++;
          expect(rule).toEqual({});
        }
      }
    }
    // Of 7 categories by 4 levels: critical destructive, financial and access-control tools wait for a person; the
    // other 13 that execute or are high or critical are capped; the 12 low and medium ones that do not execute pass.
    expect(shapes).toEqual({ approval: 3, rateCap: 13, allowed: 12 });
  });
});

describe("recommendPolicy", () => {
  it.each([
    ["a plain name", "run_query"],
    ["a slash and a colon", "github/actions:run"],
    ["a space and a leading underscore", "_run script"],
    ["a name too long for a counter", `execute_${"x".repeat(120)}`],
    ["letters outside ASCII", "выполнить_команду"],
  ])("gives a document the policy language accepts for %s", (_label, name) => {
    const document = recommendPolicy({ name, category: "execute", level: "high" });
    expect(validatePolicy(document)).toMatchObject({ ok: true });
  });

  it("keeps two long names with the same beginning on separate counters", () => {
    const counter = (name: string) => recommendRule({ name, category: "execute", level: "high" }).limits![0]!.counter;
    expect(counter(`${"a".repeat(70)}_one`)).not.toBe(counter(`${"a".repeat(70)}_two`));
  });

  it("reproduces the seed policy for invoke_agent_runtime exactly", () => {
    const seed = JSON.parse(`{ "version": "1", "default": "deny",
      "tools": { "invoke_agent_runtime": { "limits": [
        { "counter": "invoke_agent_runtime_rate", "window": "minute", "max": 10, "scope": "grant" } ] } } }`);
    expect(recommendPolicy(classifyTool({ name: "invoke_agent_runtime" }))).toEqual(seed);
  });

  it("allows a harmless read and holds a critical deletion for approval", () => {
    expect(recommendPolicy(classifyTool({ name: "get_current_time" }))).toEqual({
      version: "1",
      default: "deny",
      tools: { get_current_time: {} },
    });
    expect(recommendPolicy(classifyTool({ name: "drop_database" })).tools.drop_database).toEqual(
      approval("drop_database", "Destructive"),
    );
  });
});

describe("labels", () => {
  it("names every category and level for display", () => {
    expect(RISK_CATEGORIES.map(riskCategoryLabel)).toEqual([
      "Read", "Write", "Execute", "Destructive", "Financial", "Communication", "Access control",
    ]);
    expect(RISK_LEVELS.map(riskLevelLabel)).toEqual(["Low", "Medium", "High", "Critical"]);
    expect(Object.keys(RISK_CATEGORY_LABELS)).toEqual([...RISK_CATEGORIES]);
    expect(Object.keys(RISK_LEVEL_LABELS)).toEqual([...RISK_LEVELS]);
    for (const category of RISK_CATEGORIES) expect(RISK_CATEGORY_DESCRIPTIONS[category]).toMatch(/\.$/);
  });

  it("orders levels from low to critical", () => {
    expect([...RISK_LEVELS].reverse().sort(compareRiskLevels)).toEqual([...RISK_LEVELS]);
  });
});
