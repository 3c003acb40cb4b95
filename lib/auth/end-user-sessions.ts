import { getPrisma } from "@/lib/db/client";

/**
 * Ends every live session of a user ("sign out everywhere"); a password change would call this too. Personal access
 * tokens are not sessions and keep working. Returns how many sessions were ended.
 */
export async function endUserSessions(userId: string, now = new Date()): Promise<number> {
  const { count } = await getPrisma().userSession.updateMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now },
  });
  return count;
}
