import { getPool, getPrisma } from "@/lib/db/client";
import { dummyPasswordHash, verifyPassword } from "@/lib/auth/password-hash";
import {
  decideThrottle,
  throttleMessage,
  THROTTLE_WINDOW_MS,
  TRUSTED_ADDRESS_MS,
  type RecentFailures,
} from "@/lib/auth/login-throttle";
import { normalizeEmail } from "@/lib/accounts/normalize-email";
import { unstorableReason } from "@/lib/json/storable-text";

export type AuthenticateResult =
  | { ok: true; user: { id: string; email: string; name: string | null } }
  | { ok: false; code: "invalid_credentials" | "throttled"; message: string; retryAfterSeconds?: number };

export const INVALID_CREDENTIALS_MESSAGE =
  "That email and password do not match an account. Check them and try again, or create an account.";

/** Checks an email and password, applying the sign-in throttle and recording the attempt. */
export async function authenticate(emailInput: string, password: string, ip: string, now = new Date()): Promise<AuthenticateResult> {
  const email = normalizeEmail(emailInput);
  // No account's email holds U+0000 or a broken surrogate, and PostgreSQL would refuse to look one up.
  if (unstorableReason(email) !== null) return { ok: false, code: "invalid_credentials", message: INVALID_CREDENTIALS_MESSAGE };
  const decision = decideThrottle(await recentFailures(email, ip, now), now);
  if (!decision.allowed) {
    return {
      ok: false,
      code: "throttled",
      message: throttleMessage(decision.retryAfterSeconds),
      retryAfterSeconds: decision.retryAfterSeconds,
    };
  }

  const prisma = getPrisma();
  const user = await prisma.user.findUnique({ where: { email } });
  const valid = user
    ? await verifyPassword(user.passwordHash, password)
    : (await verifyPassword(await dummyPasswordHash(), password)) && false;

  await prisma.loginAttempt.create({ data: { email, ip, success: valid, createdAt: now } });
  // Attempts older than the trust horizon mean nothing to the throttle; trim them now and then.
  if (Math.random() < 0.01) {
    await prisma.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - TRUSTED_ADDRESS_MS) } } });
  }
  if (!user || !valid) return { ok: false, code: "invalid_credentials", message: INVALID_CREDENTIALS_MESSAGE };
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}

async function recentFailures(email: string, ip: string, now: Date): Promise<RecentFailures> {
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const trustedSince = new Date(now.getTime() - TRUSTED_ADDRESS_MS);
  // One round trip for the three counts and the trust check.
  const { rows } = await getPool().query<{
    pair: string;
    address: string;
    account: string;
    oldest_pair: Date | null;
    oldest_address: Date | null;
    oldest_account: Date | null;
    trusted: boolean;
  }>(
    `WITH pair AS (
       SELECT created_at FROM login_attempts
        WHERE email = $1 AND ip = $2 AND NOT success AND created_at > $3 AND created_at <= $5
        ORDER BY created_at DESC LIMIT 5),
     address AS (
       SELECT created_at FROM login_attempts
        WHERE ip = $2 AND NOT success AND created_at > $3 AND created_at <= $5
        ORDER BY created_at DESC LIMIT 50),
     account AS (
       SELECT created_at FROM login_attempts
        WHERE email = $1 AND NOT success AND created_at > $3 AND created_at <= $5
        ORDER BY created_at DESC LIMIT 20)
     SELECT (SELECT count(*) FROM pair) AS pair,
            (SELECT count(*) FROM address) AS address,
            (SELECT count(*) FROM account) AS account,
            (SELECT min(created_at) FROM pair) AS oldest_pair,
            (SELECT min(created_at) FROM address) AS oldest_address,
            (SELECT min(created_at) FROM account) AS oldest_account,
            EXISTS (SELECT 1 FROM login_attempts
                     WHERE email = $1 AND ip = $2 AND success AND created_at > $4) AS trusted`,
    [email, ip, since, trustedSince, now],
  );
  const row = rows[0]!;
  return {
    pair: Number(row.pair),
    address: Number(row.address),
    account: Number(row.account),
    oldestPairFailureAt: row.oldest_pair ?? undefined,
    oldestAddressFailureAt: row.oldest_address ?? undefined,
    oldestAccountFailureAt: row.oldest_account ?? undefined,
    trustedAddress: row.trusted,
  };
}
