import { getPool } from "@/lib/db/client";
import { decideSignUp, signUpThrottleMessage, SIGN_UP_WINDOW_MS } from "@/lib/accounts/sign-up-throttle";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/api-error";
import { clientNetwork } from "@/lib/http/client-network";

// Two-key advisory locks live apart from the migrator's one-key lock; this first key names the sign-up throttle.
const SIGN_UP_LOCK_CLASS = 0x5355;

/**
 * Counts a sign-up against its client network's hourly limit, or refuses it with 429 and Retry-After. The count and
 * the insert happen under a lock per network, so the limit is exact across instances and concurrent requests.
 */
export async function admitSignUp(
  clientAddress: string,
  { now = new Date(), limit = env.PORTCULLIS_SIGNUPS_PER_HOUR }: { now?: Date; limit?: number } = {},
): Promise<void> {
  const network = clientNetwork(clientAddress);
  const since = new Date(now.getTime() - SIGN_UP_WINDOW_MS);
  const client = await getPool().connect();
  let decision: ReturnType<typeof decideSignUp>;
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [SIGN_UP_LOCK_CLASS, network]);
    // No upper bound on the time: a request that waited for the lock reads, as "now", a moment before the sign-ups
    // admitted meanwhile, and they must count (with one, 6 of 10 concurrent sign-ups were let through a limit of 5).
    const { rows } = await client.query<{ count: string; oldest: Date | null }>(
      `SELECT count(*) AS count, min(created_at) AS oldest FROM (
         SELECT created_at FROM sign_up_attempts
          WHERE network = $1 AND created_at > $2
          ORDER BY created_at DESC LIMIT $3) recent`,
      [network, since, limit],
    );
    decision = decideSignUp({ count: Number(rows[0]!.count), oldestAt: rows[0]!.oldest ?? undefined }, limit, now);
    if (decision.allowed) {
      await client.query(`INSERT INTO sign_up_attempts (network, created_at) VALUES ($1, $2)`, [network, now]);
      await client.query(`DELETE FROM sign_up_attempts WHERE network = $1 AND created_at <= $2`, [network, since]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  // Networks that never come back leave their rows behind; trim them now and then.
  if (Math.random() < 0.01) await getPool().query(`DELETE FROM sign_up_attempts WHERE created_at <= $1`, [since]);
  if (!decision.allowed) {
    throw new ApiError(429, "too_many_sign_ups", signUpThrottleMessage(decision.retryAfterSeconds), [], {
      "retry-after": String(decision.retryAfterSeconds),
    });
  }
}
