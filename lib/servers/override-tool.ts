import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import type { RiskCategory, RiskLevel } from "@/lib/risk/types";
import { getToolOrThrow } from "@/lib/servers/get-tool-or-throw";
import { toolDetail } from "@/lib/servers/get-tool";

/** Sets (or clears, with null) a person's override of a tool's level and/or category, with their note. */
export async function overrideTool(
  caller: Caller,
  id: string,
  override: { level?: RiskLevel | null; category?: RiskCategory | null; note: string } | null,
  now = new Date(),
) {
  const tool = await getToolOrThrow(caller, id);
  await getPrisma().tool.update({
    where: { id: tool.id },
    data: override
      ? {
          overrideLevel: override.level ?? null,
          overrideCategory: override.category ?? null,
          overrideNote: override.note,
          overriddenAt: now,
          overriddenBy: caller.email,
        }
      : { overrideLevel: null, overrideCategory: null, overrideNote: null, overriddenAt: null, overriddenBy: null },
  });
  return toolDetail(await getToolOrThrow(caller, id));
}
