import { describe, expect, it } from "vitest";
import { createEarlyCancels } from "@/lib/gateway/instance";

describe("cancellations that came before their hold", () => {
  it("are taken once by the hold that registers within a minute, with their reason", () => {
    const cancels = createEarlyCancels();
    cancels.remember("grant\nsession\n7", "the user stopped it", 1_000);
    expect(cancels.take("grant\nsession\n8", 2_000)).toBeNull();
    expect(cancels.take("grant\nsession\n7", 2_000)).toBe("the user stopped it");
    expect(cancels.take("grant\nsession\n7", 2_000)).toBeNull();
  });

  it("are forgotten after a minute, and at most 1,000 are kept (the oldest go first)", () => {
    const cancels = createEarlyCancels();
    cancels.remember("late", "r", 0);
    expect(cancels.take("late", 60_001)).toBeNull();
    for (let i = 0; i < 1_001; i++) cancels.remember(`k${i}`, "r", 10);
    expect(cancels.take("k0", 20)).toBeNull();
    expect(cancels.take("k1", 20)).toBe("r");
    expect(cancels.take("k1000", 20)).toBe("r");
  });
});
