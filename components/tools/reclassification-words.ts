import { RISK_CATEGORY_LABELS, RISK_LEVEL_LABELS } from "@/lib/risk/labels";
import { classifierRelease } from "@/lib/risk/version";
import type { ClassificationRecord } from "@/lib/servers/classification-record";

// The words for a level or category a new classifier moved, shared by the tool page and the server's changes so
// both say it the same way: "Level High → Medium, classifier 2026.12".

export function describeReclassification(before: ClassificationRecord, after: ClassificationRecord): string {
  const parts: string[] = [];
  if (before.level !== after.level) parts.push(`level ${RISK_LEVEL_LABELS[before.level]} → ${RISK_LEVEL_LABELS[after.level]}`);
  if (before.category !== after.category) parts.push(`category ${RISK_CATEGORY_LABELS[before.category]} → ${RISK_CATEGORY_LABELS[after.category]}`);
  parts.push(`classifier ${classifierRelease(after.classifierVersion)}`);
  const sentence = parts.join(", ");
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

const WINDOWS: Record<string, string> = { second: "second", minute: "minute", hour: "hour", day: "day" };

/** A recommended rule as a short noun phrase, for "was X, now Y". */
export function summarizeRule(rule: Record<string, unknown>): string {
  if (rule.action === "deny") return "deny every call";
  if (rule.action === "require_approval") return "a person approves each call";
  const limits = Array.isArray(rule.limits) ? rule.limits.filter((l): l is Record<string, unknown> => typeof l === "object" && l !== null) : [];
  if (limits.length > 0) {
    const caps = limits.map((limit) => {
      const window = WINDOWS[String(limit.window)] ?? String(limit.window);
      const who = limit.scope === "server" ? "all keys together" : "each key";
      return `at most ${typeof limit.max === "number" ? limit.max : "a few"} calls ${window === "hour" ? "an" : "a"} ${window} for ${who}`;
    });
    return caps.join(" and ");
  }
  return "allowed with no limit";
}
