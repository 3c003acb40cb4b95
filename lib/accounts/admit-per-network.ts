import { decideSignUp, SIGN_UP_WINDOW_MS } from "@/lib/accounts/sign-up-throttle";
import { getPool } from "@/lib/db/client";
import { clientNetwork } from "@/lib/http/client-network";

// Counts one attempt against its client network's hourly limit: sign-ups (admit-sign-up.ts) and OAuth client
// registrations (lib/oauth/admit-registration.ts). The count and the insert happen under an advisory lock per network
// and table, so the limit is exact across instances and concurrent requests.

/** The tables attempts are counted in, each with the first key of its two-key advisory lock. */
const LOCK_CLASS = { sign_up_attempts: 0x5355, oauth_registration_attempts: 0x4f52 } as const;
export type AttemptTable = keyof typeof LOCK_CLASS;

export async function admitPerNetwork(
  table: AttemptTable,
  clientAddress: string,
  limit: number,
  now: Date,
): Promise<ReturnType<typeof decideSignUp>> {
  const network = clientNetwork(clientAddress);
  const since = new Date(now.getTime() - SIGN_UP_WINDOW_MS);
  const client = await getPool().connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [LOCK_CLASS[table], network]);
    // No upper bound on the time: a request that waited for the lock reads, as "now", a moment before the attempts
    // admitted meanwhile, and they must count (with one, 6 of 10 concurrent sign-ups were let through a limit of 5).
    const { rows } = await client.query<{ count: string; oldest: Date | null }>(
      `SELECT count(*) AS count, min(created_at) AS oldest FROM (
         SELECT created_at FROM ${table}
          WHERE network = $1 AND created_at > $2
          ORDER BY created_at DESC LIMIT $3) recent`,
      [network, since, limit],
    );
    const decision = decideSignUp({ count: Number(rows[0]!.count), oldestAt: rows[0]!.oldest ?? undefined }, limit, now);
    if (decision.allowed) {
      await client.query(`INSERT INTO ${table} (network, created_at) VALUES ($1, $2)`, [network, now]);
      await client.query(`DELETE FROM ${table} WHERE network = $1 AND created_at <= $2`, [network, since]);
    }
    await client.query("COMMIT");
    return decision;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
