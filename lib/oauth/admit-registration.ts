import { TooManyRequestsError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { decideSignUp, SIGN_UP_WINDOW_MS } from "@/lib/accounts/sign-up-throttle";
import { getPool } from "@/lib/db/client";
import { clientNetwork } from "@/lib/http/client-network";

// Anyone may register an OAuth client (RFC 7591), and each registration is a row shown on consent pages, so one
// client network may register a few an hour. Counted as sign-ups are (lib/accounts/admit-sign-up.ts): the same pure
// decision and window, in the database under a lock per network, so the limit is exact across instances. A client
// registers once per authorization server and keeps its client id, so 20 an hour leaves room for a whole office
// behind one address while keeping a script from filling the table.

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

// Two-key advisory locks: this first key names the registration throttle (the sign-up throttle's is 0x5355).
const REGISTRATION_LOCK_CLASS = 0x4f52;

/** Counts a registration against its network's hourly limit, or throws RegistrationThrottledError (429) saying when to retry. */
export async function admitClientRegistration(
  clientAddress: string,
  { now = new Date(), limit = REGISTRATIONS_PER_HOUR }: { now?: Date; limit?: number } = {},
): Promise<void> {
  const network = clientNetwork(clientAddress);
  const since = new Date(now.getTime() - SIGN_UP_WINDOW_MS);
  const client = await getPool().connect();
  let decision: ReturnType<typeof decideSignUp>;
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [REGISTRATION_LOCK_CLASS, network]);
    const { rows } = await client.query<{ count: string; oldest: Date | null }>(
      `SELECT count(*) AS count, min(created_at) AS oldest FROM (
         SELECT created_at FROM oauth_registration_attempts
          WHERE network = $1 AND created_at > $2
          ORDER BY created_at DESC LIMIT $3) recent`,
      [network, since, limit],
    );
    decision = decideSignUp({ count: Number(rows[0]!.count), oldestAt: rows[0]!.oldest ?? undefined }, limit, now);
    if (decision.allowed) {
      await client.query(`INSERT INTO oauth_registration_attempts (network, created_at) VALUES ($1, $2)`, [network, now]);
      await client.query(`DELETE FROM oauth_registration_attempts WHERE network = $1 AND created_at <= $2`, [network, since]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  if (!decision.allowed) {
    const minutes = Math.ceil(decision.retryAfterSeconds / 60);
    throw new RegistrationThrottledError(
      `Too many clients were registered from your network in the last hour (at most ${limit}). Try again in ${minutes} minute${minutes === 1 ? "" : "s"}, or reuse the client id you were given.`,
      decision.retryAfterSeconds,
    );
  }
}
