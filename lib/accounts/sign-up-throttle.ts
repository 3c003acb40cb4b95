// Sign-up throttling, as a pure decision: each sign-up costs an argon2id hash and may create an account, so one client
// network (see lib/http/client-network.ts) may ask for a few per hour. Refused sign-ups are not counted.

export const SIGN_UP_WINDOW_MS = 60 * 60_000;

export interface RecentSignUps {
  /** Sign-ups from this network in the window. */
  count: number;
  /** The oldest of them, to say when the next one is allowed. */
  oldestAt?: Date;
}

export type SignUpDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function decideSignUp(recent: RecentSignUps, limit: number, now: Date): SignUpDecision {
  if (recent.count < limit) return { allowed: true };
  const opensAt = (recent.oldestAt?.getTime() ?? now.getTime()) + SIGN_UP_WINDOW_MS;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((opensAt - now.getTime()) / 1000)) };
}

export function signUpThrottleMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const when = retryAfterSeconds < 60 ? `${retryAfterSeconds} seconds` : `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return `Too many accounts were asked for from your network in the last hour. Try again in ${when}, or sign in if you already have an account.`;
}
