import { describe, expect, it } from "vitest";
import { runGatewayFuzz } from "../support/gateway-fuzz";

// A hostile tenant fuzzes the gateway with its own valid key while another tenant works (tests/support/gateway-fuzz.ts).
// `npm run fuzz:gateway` runs the same with 10,000 bodies and prints the figures.

describe("the gateway under a hostile tenant's fuzzing", () => {
  it("answers every body without a 5xx, never fails the other tenant's calls, and never stalls", async () => {
    const report = await runGatewayFuzz({ bodies: Number(process.env.FUZZ_BODIES ?? 1500) });
    console.log(`gateway fuzz: ${report.bodies} bodies in ${report.seconds.toFixed(1)} s, statuses ${JSON.stringify(report.statuses)}, ` +
      `${report.legitimateCalls} legitimate calls, event loop delay max ${report.maxLoopDelayMs.toFixed(1)} ms (p99 ${report.p99LoopDelayMs.toFixed(1)} ms)`);
    expect(report.serverErrors).toEqual([]);
    expect(report.legitimateFailures).toEqual([]);
    expect(report.legitimateCalls).toBeGreaterThan(10);
    // A backtracking pattern on these inputs stalls for seconds to minutes; a linear one for well under a millisecond.
    // The bound is loose because this machine's other test processes share its two cores.
    expect(report.maxLoopDelayMs).toBeLessThan(500);
  }, 180_000);
});
