import { getPrisma } from "@/lib/db/client";
import type { Caller } from "@/lib/auth/caller";

/** The caller for a signed-in user id (from the session cookie): their first workspace, for now the only one. */
export async function resolveSessionCaller(userId: string): Promise<Caller | null> {
  const membership = await getPrisma().membership.findFirst({
    where: { userId },
    orderBy: { createdAt: "asc" },
    include: { user: { select: { email: true } } },
  });
  if (!membership) return null;
  return { userId, email: membership.user.email, workspaceId: membership.workspaceId, via: "session" };
}
