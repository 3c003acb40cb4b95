import { getPrisma } from "@/lib/db/client";
import { toTokenView, type TokenView } from "@/lib/tokens/token-view";

/** The caller's tokens, newest first, revoked ones included (they show as revoked). */
export async function listTokens(caller: { userId: string; workspaceId: string }): Promise<TokenView[]> {
  const rows = await getPrisma().personalAccessToken.findMany({
    where: { userId: caller.userId, workspaceId: caller.workspaceId },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toTokenView);
}
