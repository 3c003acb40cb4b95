import { getPool } from "@/lib/db/client";
import { hashSessionId, looksLikeSessionId } from "@/lib/auth/session-id";

const LAST_SEEN_RESOLUTION_MS = 5 * 60_000;

/**
 * The user of a session that is still live (not signed out, not ended by "sign out everywhere", not expired), or
 * null. Asked on every request that carries a session cookie, with no cache, so an ended session is refused by every
 * instance at once. One statement: the lookup, and its last-seen time moved on at most every 5 minutes.
 */
export async function liveSessionUserId(sessionId: unknown, now = new Date()): Promise<string | null> {
  if (!looksLikeSessionId(sessionId)) return null;
  const { rows } = await getPool().query<{ user_id: string }>(
    `WITH live AS (
       SELECT id_hash, user_id FROM user_sessions
        WHERE id_hash = $1 AND revoked_at IS NULL AND expires_at > $2),
     seen AS (
       UPDATE user_sessions s SET last_seen_at = $2
         FROM live WHERE s.id_hash = live.id_hash AND s.last_seen_at < $3)
     SELECT user_id FROM live`,
    [hashSessionId(sessionId), now, new Date(now.getTime() - LAST_SEEN_RESOLUTION_MS)],
  );
  return rows[0]?.user_id ?? null;
}
