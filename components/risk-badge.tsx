import { Badge, type BadgeTone } from "@/components/ui/badge";
import { RISK_LEVEL_LABELS } from "@/lib/risk/labels";
import type { RiskLevel } from "@/lib/risk/types";

const LEVEL_TONES: Readonly<Record<RiskLevel, BadgeTone>> = { low: "green", medium: "amber", high: "orange", critical: "red" };

/** A tool's risk level as a coloured badge (Low green, Medium amber, High orange, Critical red), or a count of tools at it. */
export function RiskBadge({ level, count, className }: { level: RiskLevel; count?: number; className?: string }) {
  const label = RISK_LEVEL_LABELS[level];
  return (
    <Badge
      tone={LEVEL_TONES[level]}
      dot
      className={className}
      title={count === undefined ? `${label} risk` : `${count} ${label}-risk ${count === 1 ? "tool" : "tools"}`}
      data-level={level}
    >
      {count === undefined ? label : `${count} ${label}`}
    </Badge>
  );
}
