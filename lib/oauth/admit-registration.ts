import { TooManyRequestsError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { admitPerNetwork } from "@/lib/accounts/admit-per-network";

// Anyone may register an OAuth client (RFC 7591), and each registration is a row shown on consent pages, so one
// client network may register a few an hour, counted as sign-ups are (lib/accounts/admit-per-network.ts), so the
// limit is exact across instances. A client registers once per authorization server and keeps its client id, so 20
// an hour leaves room for a whole office behind one address while keeping a script from filling the table.

export const REGISTRATIONS_PER_HOUR = 20;

/** The 429's error, with when to retry (for Retry-After). */
export class RegistrationThrottledError extends TooManyRequestsError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Counts a registration against its network's hourly limit, or throws RegistrationThrottledError (429) saying when to retry. */
export async function admitClientRegistration(
  clientAddress: string,
  { now = new Date(), limit = REGISTRATIONS_PER_HOUR }: { now?: Date; limit?: number } = {},
): Promise<void> {
  const decision = await admitPerNetwork("oauth_registration_attempts", clientAddress, limit, now);
  if (!decision.allowed) {
    const minutes = Math.ceil(decision.retryAfterSeconds / 60);
    throw new RegistrationThrottledError(
      `Too many clients were registered from your network in the last hour (at most ${limit}). Try again in ${minutes} minute${minutes === 1 ? "" : "s"}, or reuse the client id you were given.`,
      decision.retryAfterSeconds,
    );
  }
}
