import { describe, expect, it } from "vitest";
import { decideThrottle, LIMITS, throttleMessage, THROTTLE_WINDOW_MS, type RecentFailures } from "@/lib/auth/login-throttle";

const now = new Date("2026-11-25T12:00:00Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const none: RecentFailures = { pair: 0, address: 0, account: 0, trustedAddress: false };

describe("decideThrottle", () => {
  it.each<[string, Partial<RecentFailures>, ReturnType<typeof decideThrottle>]>([
    ["no failures", {}, { allowed: true }],
    ["pair just under its limit", { pair: LIMITS.pair - 1 }, { allowed: true }],
    [
      "pair at its limit",
      { pair: LIMITS.pair, oldestPairFailureAt: minutesAgo(10) },
      { allowed: false, reason: "pair", retryAfterSeconds: 5 * 60 },
    ],
    ["address under its limit", { address: LIMITS.address - 1 }, { allowed: true }],
    [
      "address at its limit",
      { address: LIMITS.address, oldestAddressFailureAt: minutesAgo(1) },
      { allowed: false, reason: "address", retryAfterSeconds: 14 * 60 },
    ],
    [
      "account at its limit from an unknown address",
      { account: LIMITS.account, oldestAccountFailureAt: minutesAgo(14.5) },
      { allowed: false, reason: "account", retryAfterSeconds: 30 },
    ],
    // The account-wide limit never locks the owner out of the address they normally sign in from.
    ["account at its limit from a trusted address", { account: LIMITS.account * 10, trustedAddress: true }, { allowed: true }],
    [
      "a trusted address still cannot guess without limit",
      { pair: LIMITS.pair, trustedAddress: true, oldestPairFailureAt: minutesAgo(0) },
      { allowed: false, reason: "pair", retryAfterSeconds: THROTTLE_WINDOW_MS / 1000 },
    ],
  ])("%s", (_name, failures, expected) => {
    expect(decideThrottle({ ...none, ...failures }, now)).toEqual(expected);
  });
});

describe("throttleMessage", () => {
  it("says when to try again", () => {
    expect(throttleMessage(30)).toBe("Too many failed sign-in attempts. Try again in 30 seconds.");
    expect(throttleMessage(60)).toBe("Too many failed sign-in attempts. Try again in 1 minute.");
    expect(throttleMessage(61)).toBe("Too many failed sign-in attempts. Try again in 2 minutes.");
  });
});
