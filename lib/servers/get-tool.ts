import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import type { Tool } from "@/lib/generated/prisma/client";
import { recommendPolicy, recommendRule } from "@/lib/risk";
import type { RiskCategory, RiskLevel } from "@/lib/risk/types";
import { getToolOrThrow } from "@/lib/servers/get-tool-or-throw";
import { toolReclassification } from "@/lib/servers/tool-reclassification";
import { toToolSummary } from "@/lib/servers/tool-view";

/** Everything the tool page shows: what it does, its arguments, why it needs a policy and the rule we recommend. */
export async function toolDetail(tool: Tool & { server: { id: string; name: string } }) {
  const summary = toToolSummary(tool);
  const effective = { name: tool.name, category: summary.category, level: summary.level, reasons: tool.reasons as string[] };
  const [pending, reclassification] = await Promise.all([
    tool.status === "needs_review"
      ? getPrisma().toolChange.findFirst({
          where: { serverId: tool.serverId, toolName: tool.name, kind: "changed", reviewedAt: null },
          orderBy: { detectedAt: "desc" },
        })
      : null,
    toolReclassification(tool),
  ]);
  return {
    ...summary,
    reasons: tool.reasons as string[],
    classifierVersion: tool.classifierVersion,
    reclassification,
    inputSchema: tool.inputSchema as Record<string, unknown>,
    outputSchema: (tool.outputSchema as Record<string, unknown> | null) ?? null,
    override:
      tool.overriddenAt && (tool.overrideLevel || tool.overrideCategory)
        ? {
            category: (tool.overrideCategory as RiskCategory | null) ?? null,
            level: (tool.overrideLevel as RiskLevel | null) ?? null,
            note: tool.overrideNote ?? "",
            at: tool.overriddenAt.toISOString(),
            by: tool.overriddenBy ?? "",
          }
        : null,
    recommendedRule: recommendRule(effective) as Record<string, unknown>,
    recommendedPolicy: recommendPolicy(effective) as unknown as Record<string, unknown>,
    pendingChange: pending
      ? {
          changeId: pending.id,
          before: tool.acceptedDefinition as Record<string, unknown>,
          after: tool.definition as Record<string, unknown>,
          detectedAt: pending.detectedAt.toISOString(),
        }
      : null,
    server: tool.server,
  };
}

export async function getTool(caller: Caller, id: string) {
  return toolDetail(await getToolOrThrow(caller, id));
}
