// Sign-in throttling, as a pure decision over recent failure counts. The rules:
//
// - One address guessing one account: 5 failures in 15 minutes blocks that pair until the window passes.
// - One address guessing many accounts: 50 failures in 15 minutes blocks that address.
// - Many addresses guessing one account: 20 failures in 15 minutes blocks the account for every address
//   *except* those that signed in to it successfully in the last 30 days, so an attacker cannot lock the real
//   user out from the places they normally sign in from.
//
// A blocked attempt is refused before the password is checked, and is not itself counted as a failure.

export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const TRUSTED_ADDRESS_MS = 30 * 24 * 60 * 60_000;
export const LIMITS = { pair: 5, address: 50, account: 20 } as const;

export interface RecentFailures {
  /** Failures for this email from this address in the window, oldest first when `oldestPairFailureAt` is set. */
  pair: number;
  address: number;
  account: number;
  /** Times of the oldest failure that counts toward each limit, to say when the block ends. */
  oldestPairFailureAt?: Date;
  oldestAddressFailureAt?: Date;
  oldestAccountFailureAt?: Date;
  /** Whether this address signed in to this account successfully within TRUSTED_ADDRESS_MS. */
  trustedAddress: boolean;
}

export type ThrottleDecision =
  | { allowed: true }
  | { allowed: false; reason: "pair" | "address" | "account"; retryAfterSeconds: number };

export function decideThrottle(failures: RecentFailures, now: Date): ThrottleDecision {
  const retry = (oldest: Date | undefined) =>
    Math.max(1, Math.ceil(((oldest?.getTime() ?? now.getTime()) + THROTTLE_WINDOW_MS - now.getTime()) / 1000));
  if (failures.pair >= LIMITS.pair) {
    return { allowed: false, reason: "pair", retryAfterSeconds: retry(failures.oldestPairFailureAt) };
  }
  if (failures.address >= LIMITS.address) {
    return { allowed: false, reason: "address", retryAfterSeconds: retry(failures.oldestAddressFailureAt) };
  }
  if (failures.account >= LIMITS.account && !failures.trustedAddress) {
    return { allowed: false, reason: "account", retryAfterSeconds: retry(failures.oldestAccountFailureAt) };
  }
  return { allowed: true };
}

export function throttleMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const when = retryAfterSeconds < 60 ? `${retryAfterSeconds} seconds` : `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return `Too many failed sign-in attempts. Try again in ${when}.`;
}
