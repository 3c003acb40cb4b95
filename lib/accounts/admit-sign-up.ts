import { getPool } from "@/lib/db/client";
import { admitPerNetwork } from "@/lib/accounts/admit-per-network";
import { signUpThrottleMessage, SIGN_UP_WINDOW_MS } from "@/lib/accounts/sign-up-throttle";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/api-error";

/**
 * Counts a sign-up against its client network's hourly limit (admit-per-network.ts), or refuses it with 429 and
 * Retry-After.
 */
export async function admitSignUp(
  clientAddress: string,
  { now = new Date(), limit = env.PORTCULLIS_SIGNUPS_PER_HOUR }: { now?: Date; limit?: number } = {},
): Promise<void> {
  const decision = await admitPerNetwork("sign_up_attempts", clientAddress, limit, now);
  const since = new Date(now.getTime() - SIGN_UP_WINDOW_MS);
  // Networks that never come back leave their rows behind; trim them now and then.
  if (Math.random() < 0.01) await getPool().query(`DELETE FROM sign_up_attempts WHERE created_at <= $1`, [since]);
  if (!decision.allowed) {
    throw new ApiError(429, "too_many_sign_ups", signUpThrottleMessage(decision.retryAfterSeconds), [], {
      "retry-after": String(decision.retryAfterSeconds),
    });
  }
}
