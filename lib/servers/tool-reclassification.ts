import { getPrisma } from "@/lib/db/client";
import type { Tool } from "@/lib/generated/prisma/client";
import { canonicalJson } from "@/lib/policy/canonical-json";
import { recommendRule } from "@/lib/risk";
import type { RecommendedRule, RiskCategory, RiskLevel } from "@/lib/risk/types";
import { classifierRelease } from "@/lib/risk/version";
import { readClassificationRecord, type ClassificationRecord } from "@/lib/servers/classification-record";

// What the tool page says about the newest "reclassified" change (lib/servers/reclassify-tools.ts): the level and
// category before and after, whether a person's override still decides, and whether the rule we recommend moved
// with it. Policies are never changed for anyone: the page says so instead.

export async function toolReclassification(tool: Tool) {
  const change = await getPrisma().toolChange.findFirst({
    where: { serverId: tool.serverId, toolName: tool.name, kind: "reclassified" },
    orderBy: { detectedAt: "desc" },
  });
  const before = change && readClassificationRecord(change.before);
  const after = change && readClassificationRecord(change.after);
  // A record that no longer describes the stored classification (a later sync changed the definition) is history,
  // kept in the server's changes, not news for the tool page.
  if (!change || !before || !after || after.level !== tool.level || after.category !== tool.category) return null;

  const overrideLevel = tool.overrideLevel as RiskLevel | null;
  const overrideCategory = tool.overrideCategory as RiskCategory | null;
  // The rule recommended is the effective classification's: the override where there is one.
  const effective = (risk: ClassificationRecord) => ({
    name: tool.name,
    category: overrideCategory ?? risk.category,
    level: overrideLevel ?? risk.level,
  });
  const wasRule = recommendRule(effective(before));
  const nowRule = recommendRule(effective(after));
  return {
    changeId: change.id,
    detectedAt: change.detectedAt.toISOString(),
    before,
    after,
    classifierRelease: classifierRelease(after.classifierVersion),
    overrideApplies: Boolean(overrideLevel || overrideCategory),
    recommendationChange: sameEffect(wasRule, nowRule)
      ? null
      : { before: wasRule as Record<string, unknown>, after: nowRule as Record<string, unknown> },
  };
}

/** Two rules do the same to calls when their action and limits agree; the reason sentence names the category only. */
function sameEffect(a: RecommendedRule, b: RecommendedRule): boolean {
  const effect = (rule: RecommendedRule) => canonicalJson({ action: rule.action ?? "allow", limits: rule.limits ?? [] });
  return effect(a) === effect(b);
}
