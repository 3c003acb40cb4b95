import { describe, expect, it } from "vitest";
import { fillPlaceholders } from "@/lib/catalog/crawl/placeholders";

describe("fillPlaceholders", () => {
  it("fills known placeholders and leaves other braces alone", () => {
    expect(fillPlaceholders("{SANDBOX}/memory.jsonl", { SANDBOX: "/tmp/s" })).toBe("/tmp/s/memory.jsonl");
    expect(fillPlaceholders("--root={SANDBOX} {OTHER} {lower} {}", { SANDBOX: "/tmp/$1" })).toBe("--root=/tmp/$1 {OTHER} {lower} {}");
    expect(fillPlaceholders("{__proto__}", {})).toBe("{__proto__}");
  });
});
