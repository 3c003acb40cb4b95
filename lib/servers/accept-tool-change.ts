import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";
import { getToolOrThrow } from "@/lib/servers/get-tool-or-throw";
import { toolDetail } from "@/lib/servers/get-tool";

/** Accepts the definition a tool lists now: the gateway will forward calls to it again. */
export async function acceptToolChange(caller: Caller, id: string, now = new Date()) {
  const tool = await getToolOrThrow(caller, id);
  if (tool.status !== "needs_review") {
    throw new ApiError(409, "nothing_to_review", `${tool.name} has no changed definition waiting for review.`);
  }
  const prisma = getPrisma();
  await prisma.$transaction(async (tx) => {
    // Only the definition that was shown is accepted: a re-sync in between changes definitionHash.
    const accepted = await tx.tool.updateMany({
      where: { id: tool.id, definitionHash: tool.definitionHash, status: "needs_review" },
      data: { acceptedDefinition: tool.definition as object, acceptedHash: tool.definitionHash, status: "active" },
    });
    if (accepted.count === 0) {
      throw new ApiError(409, "definition_changed", `${tool.name} changed again while it was being reviewed: review the newest definition.`);
    }
    await tx.toolChange.updateMany({
      where: { serverId: tool.serverId, toolName: tool.name, kind: "changed", reviewedAt: null },
      data: { reviewedAt: now, reviewedBy: caller.email },
    });
  });
  return toolDetail(await getToolOrThrow(caller, id));
}
