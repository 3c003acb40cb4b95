import { getPrisma } from "@/lib/db/client";
import { generateAccessToken } from "@/lib/auth/access-token";
import { toTokenView, type TokenView } from "@/lib/tokens/token-view";

export async function createToken(
  caller: { userId: string; workspaceId: string },
  input: { name: string; expiresInDays?: number | null },
  now = new Date(),
): Promise<TokenView & { token: string }> {
  const { token, hash, prefix } = generateAccessToken();
  const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null;
  const row = await getPrisma().personalAccessToken.create({
    data: {
      userId: caller.userId,
      workspaceId: caller.workspaceId,
      name: input.name.trim(),
      prefix,
      tokenHash: hash,
      expiresAt,
      createdAt: now,
    },
  });
  return { ...toTokenView(row), token };
}
