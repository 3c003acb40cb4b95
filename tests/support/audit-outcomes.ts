import { getPool } from "@/lib/db/client";

/**
 * Waits until every forwarded call of the grant has its outcome recorded: the gateway writes a call's row before
 * forwarding it and adds the upstream's status and timings right after the answer, off the answer's path
 * (lib/gateway/admit.ts). Throws after `timeoutMs`.
 */
export async function outcomesRecorded(grantId: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await getPool().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE grant_id = $1 AND forwarded AND upstream_status IS NULL AND code IS DISTINCT FROM 'upstream_unreachable' AND code IS DISTINCT FROM 'client_cancelled'`,
      [grantId],
    );
    if (rows[0]!.n === 0) return;
    if (Date.now() > deadline) throw new Error(`${rows[0]!.n} forwarded call(s) of grant ${grantId} still have no recorded outcome after ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
