import { describe, expect, it } from "vitest";
import { formatSpan } from "@/components/approvals/format-span";

describe("formatSpan", () => {
  it.each([
    [-500, "0 s"],
    [0, "0 s"],
    [999, "0 s"],
    [12_400, "12 s"],
    [59_999, "59 s"],
    [60_000, "1 min"],
    [125_000, "2 min 5 s"],
    [600_000, "10 min"],
    [14 * 60_000 + 30_000, "14 min"],
    [3_600_000, "1 h"],
    [3_780_000, "1 h 3 min"],
  ])("%i ms reads %s", (ms, text) => {
    expect(formatSpan(ms)).toBe(text);
  });
});
