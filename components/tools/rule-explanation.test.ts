import { describe, expect, it } from "vitest";
import { explainRule } from "@/components/tools/rule-explanation";

describe("explainRule", () => {
  it("calls an open rule low-risk only for a low-risk tool", () => {
    expect(explainRule({}, "deny", "low")).toMatch(/risk is low enough to leave open/);
    const medium = explainRule({}, "deny", "medium");
    expect(medium).not.toMatch(/low enough/);
    expect(medium).toMatch(/Its risk is medium/);
  });

  it("says a denied tool is hidden, not explained to the agent", () => {
    const text = explainRule({ action: "deny" }, "deny", "high");
    expect(text).toMatch(/hidden from them/);
    expect(text).toMatch(/unknown tool/);
    expect(text).not.toMatch(/told why/);
  });

  it("reads limits from the rule", () => {
    expect(explainRule({ limits: [{ counter: "c", window: "minute", max: 30, scope: "grant" }] }, "allow", "high")).toMatch(
      /each key may call it at most 30 times a minute/,
    );
  });
});
