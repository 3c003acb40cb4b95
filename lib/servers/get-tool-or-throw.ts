import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { notFound } from "@/lib/http/api-error";

export async function getToolOrThrow(caller: Caller, id: string) {
  const tool = await getPrisma().tool.findFirst({
    where: { id, server: { workspaceId: caller.workspaceId } },
    include: { server: { select: { id: true, name: true } } },
  });
  if (!tool) throw notFound("That tool");
  return tool;
}
