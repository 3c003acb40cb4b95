import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { DecisionKind } from "@/lib/policy";

const DECISIONS: Record<DecisionKind, { label: string; tone: BadgeTone }> = {
  allow: { label: "Allow", tone: "green" },
  deny: { label: "Deny", tone: "red" },
  require_approval: { label: "Require approval", tone: "amber" },
  rate_limited: { label: "Rate limited", tone: "orange" },
};

/** A policy decision as a coloured badge. */
export function DecisionBadge({ decision, className }: { decision: DecisionKind; className?: string }) {
  const { label, tone } = DECISIONS[decision];
  return (
    <Badge tone={tone} dot className={className} data-decision={decision}>
      {label}
    </Badge>
  );
}
