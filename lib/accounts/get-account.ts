import { getPrisma } from "@/lib/db/client";
import type { Caller } from "@/lib/auth/caller";
import { notFound } from "@/lib/http/api-error";

export async function getAccount(caller: Caller) {
  const prisma = getPrisma();
  const [user, workspace] = await Promise.all([
    prisma.user.findUnique({ where: { id: caller.userId }, select: { id: true, email: true, name: true } }),
    prisma.workspace.findUnique({ where: { id: caller.workspaceId }, select: { id: true, name: true } }),
  ]);
  if (!user || !workspace) throw notFound("That account");
  return { user, workspace };
}
