import type { Queryable } from "@/lib/db/queryable";

// Deletes codes and tokens nobody can use any more. A row is kept a day past its expiry rather than deleted at once:
// while it is there, a replayed code or a reused refresh token is recognised as such (and revokes its family) instead
// of being merely unknown. Cached metadata documents are not deleted (they are refreshed in place; see
// client-metadata-document.ts). Idempotent, so every instance may run it.

export const KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60_000;

export async function deleteExpiredOAuthRows(db: Queryable, now = new Date()): Promise<{ codes: number; tokens: number }> {
  const before = new Date(now.getTime() - KEEP_AFTER_EXPIRY_MS);
  const codes = await db.query(`DELETE FROM oauth_codes WHERE expires_at < $1`, [before]);
  const tokens = await db.query(`DELETE FROM oauth_tokens WHERE expires_at < $1`, [before]);
  return { codes: codes.rowCount ?? 0, tokens: tokens.rowCount ?? 0 };
}
