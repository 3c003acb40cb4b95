import type { Queryable } from "@/lib/db/queryable";

// Deletes codes and tokens nobody can use any more. A row is kept a day past its expiry rather than deleted at once:
// while it is there, a replayed code or a reused refresh token is recognised as such (and revokes its family) instead
// of being merely unknown. Cached metadata documents are not deleted (they are refreshed in place; see
// client-metadata-document.ts). Consent requests and registration attempts go once they expire (a consent after
// its 10 minutes, an attempt after the registration throttle's hour). Idempotent, so every instance may run it.

export const KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60_000;
const REGISTRATION_WINDOW_MS = 60 * 60_000;

export async function deleteExpiredOAuthRows(
  db: Queryable,
  now = new Date(),
): Promise<{ codes: number; tokens: number; consents: number; registrationAttempts: number }> {
  const before = new Date(now.getTime() - KEEP_AFTER_EXPIRY_MS);
  const codes = await db.query(`DELETE FROM oauth_codes WHERE expires_at < $1`, [before]);
  const tokens = await db.query(`DELETE FROM oauth_tokens WHERE expires_at < $1`, [before]);
  const consents = await db.query(`DELETE FROM oauth_consents WHERE expires_at < $1`, [now]);
  const attempts = await db.query(`DELETE FROM oauth_registration_attempts WHERE created_at <= $1`, [new Date(now.getTime() - REGISTRATION_WINDOW_MS)]);
  return { codes: codes.rowCount ?? 0, tokens: tokens.rowCount ?? 0, consents: consents.rowCount ?? 0, registrationAttempts: attempts.rowCount ?? 0 };
}

/** Runs deleteExpiredOAuthRows every `intervalMs` (10 minutes); returns the function that stops it. */
export function startOAuthHousekeeping(db: Queryable, options: { intervalMs?: number; log?: (line: string) => void } = {}): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await deleteExpiredOAuthRows(db);
    } catch (error) {
      options.log?.(`OAuth housekeeping failed (retried at the next tick): ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 10 * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
