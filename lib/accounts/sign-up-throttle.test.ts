import { describe, expect, it } from "vitest";
import { decideSignUp, signUpThrottleMessage, SIGN_UP_WINDOW_MS } from "@/lib/accounts/sign-up-throttle";

const now = new Date("2026-11-29T12:00:00Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

describe("decideSignUp", () => {
  it.each<[string, Parameters<typeof decideSignUp>[0], ReturnType<typeof decideSignUp>]>([
    ["none yet", { count: 0 }, { allowed: true }],
    ["one under the limit", { count: 4, oldestAt: minutesAgo(59) }, { allowed: true }],
    ["at the limit: refused until the oldest leaves the hour", { count: 5, oldestAt: minutesAgo(20) }, { allowed: false, retryAfterSeconds: 40 * 60 }],
    ["at the limit, the oldest about to leave", { count: 5, oldestAt: new Date(now.getTime() - SIGN_UP_WINDOW_MS + 300) }, { allowed: false, retryAfterSeconds: 1 }],
  ])("%s", (_name, recent, decision) => {
    expect(decideSignUp(recent, 5, now)).toEqual(decision);
  });
});

describe("signUpThrottleMessage", () => {
  it.each([
    [30, "Try again in 30 seconds,"],
    [60, "Try again in 1 minute,"],
    [2400, "Try again in 40 minutes,"],
  ])("says when for %i seconds", (seconds, text) => {
    expect(signUpThrottleMessage(seconds)).toContain(text);
  });
});
