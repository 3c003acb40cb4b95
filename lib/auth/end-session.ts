import { getPrisma } from "@/lib/db/client";
import { hashSessionId, looksLikeSessionId } from "@/lib/auth/session-id";

/** Ends one session (sign-out): its cookie is refused from now on, on every instance. Ending it twice changes nothing. */
export async function endSession(sessionId: unknown, now = new Date()): Promise<void> {
  if (!looksLikeSessionId(sessionId)) return;
  await getPrisma().userSession.updateMany({
    where: { idHash: hashSessionId(sessionId), revokedAt: null },
    data: { revokedAt: now },
  });
}
