import { getPrisma } from "@/lib/db/client";
import { generateSessionId } from "@/lib/auth/session-id";

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/**
 * Records a new signed-in session for a user and returns its id, for the session cookie. Sessions last 30 days
 * from sign-in, like the cookie. Expired sessions of everyone are deleted here: signing in is frequent enough to
 * keep the table small, and rare enough to be cheap (an index range on expires_at).
 */
export async function startSession(userId: string, now = new Date()): Promise<string> {
  const { id, hash } = generateSessionId();
  const prisma = getPrisma();
  await prisma.userSession.create({
    data: { idHash: hash, userId, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000) },
  });
  await prisma.userSession.deleteMany({ where: { expiresAt: { lte: now } } });
  return id;
}
