import { getPrisma } from "@/lib/db/client";
import { notFound } from "@/lib/http/api-error";
import { toTokenView, type TokenView } from "@/lib/tokens/token-view";

/** Revokes one of the caller's tokens. Revoking twice is harmless and keeps the first revocation time. */
export async function revokeToken(
  caller: { userId: string; workspaceId: string },
  id: string,
  now = new Date(),
): Promise<TokenView> {
  const prisma = getPrisma();
  const where = { id, userId: caller.userId, workspaceId: caller.workspaceId };
  await prisma.personalAccessToken.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: now } });
  const row = await prisma.personalAccessToken.findFirst({ where });
  if (!row) throw notFound("That token");
  return toTokenView(row);
}
