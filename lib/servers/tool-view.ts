import type { Tool } from "@/lib/generated/prisma/client";
import type { RiskCategory, RiskLevel } from "@/lib/risk/types";

export function toToolSummary(tool: Tool) {
  return {
    id: tool.id,
    serverId: tool.serverId,
    name: tool.name,
    title: tool.title,
    description: tool.description,
    category: (tool.overrideCategory ?? tool.category) as RiskCategory,
    level: (tool.overrideLevel ?? tool.level) as RiskLevel,
    classifiedCategory: tool.category as RiskCategory,
    classifiedLevel: tool.level as RiskLevel,
    overridden: Boolean(tool.overrideCategory || tool.overrideLevel),
    annotations: (tool.annotations as Record<string, unknown> | null) ?? null,
    status: tool.status as "active" | "needs_review" | "removed",
  };
}
