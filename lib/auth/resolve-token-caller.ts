import { getPool } from "@/lib/db/client";
import { hashAccessToken, looksLikeAccessToken } from "@/lib/auth/access-token";
import type { Caller } from "@/lib/auth/caller";

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The caller a personal access token belongs to, or null when the token is unknown, revoked or expired.
 * Marks the token as used at most once a minute, so busy scripts do not write on every request.
 */
export async function resolveTokenCaller(token: string, now = new Date()): Promise<Caller | null> {
  if (!looksLikeAccessToken(token)) return null;
  const pool = getPool();
  const { rows } = await pool.query<{ id: string; user_id: string; workspace_id: string; email: string; last_used_at: Date | null }>(
    `SELECT t.id, t.user_id, t.workspace_id, t.last_used_at, u.email
       FROM personal_access_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)`,
    [hashAccessToken(token), now],
  );
  const row = rows[0];
  if (!row) return null;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
    await pool.query(`UPDATE personal_access_tokens SET last_used_at = $2 WHERE id = $1`, [row.id, now]);
  }
  return { userId: row.user_id, email: row.email, workspaceId: row.workspace_id, via: "token", tokenId: row.id };
}
