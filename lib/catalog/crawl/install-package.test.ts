import { describe, expect, it } from "vitest";
import { pickBin } from "@/lib/catalog/crawl/install-package";

describe("pickBin", () => {
  it("takes the named command, the only one, or the one named like the package", () => {
    expect(pickBin("@s/pkg", "dist/index.js")).toBe("dist/index.js");
    expect(pickBin("@s/pkg", { only: "a.js" })).toBe("a.js");
    expect(pickBin("@s/pkg", { setup: "s.js", pkg: "p.js" })).toBe("p.js");
    expect(pickBin("@s/pkg", { setup: "s.js", other: "o.js" }, "other")).toBe("o.js");
  });

  it("says what to do when it cannot tell", () => {
    expect(() => pickBin("@s/pkg", { a: "a.js", b: "b.js" })).toThrow("@s/pkg has several commands (a, b): name one in the source's crawl.bin.");
    expect(() => pickBin("@s/pkg", undefined)).toThrow('@s/pkg has no command to start (no "bin" in its package.json).');
    expect(() => pickBin("@s/pkg", { a: "a.js" }, "c")).toThrow("@s/pkg has no command named c (it has a).");
  });
});
