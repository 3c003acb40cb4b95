import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { AuditDecision } from "@/lib/audit/decisions";
import type { DecisionKind } from "@/lib/policy";

// The policy's decisions, and "error" for a request the gateway could not carry out (the audit trail records it).
const DECISIONS: Record<DecisionKind | AuditDecision, { label: string; tone: BadgeTone }> = {
  allow: { label: "Allow", tone: "green" },
  deny: { label: "Deny", tone: "red" },
  require_approval: { label: "Require approval", tone: "amber" },
  rate_limited: { label: "Rate limited", tone: "orange" },
  error: { label: "Error", tone: "neutral" },
};

export const DECISION_LABELS: Readonly<Record<DecisionKind | AuditDecision, string>> = Object.fromEntries(
  Object.entries(DECISIONS).map(([decision, { label }]) => [decision, label]),
) as Record<DecisionKind | AuditDecision, string>;

/** A decision as a coloured badge. */
export function DecisionBadge({ decision, className }: { decision: DecisionKind | AuditDecision; className?: string }) {
  const { label, tone } = DECISIONS[decision];
  return (
    <Badge tone={tone} dot className={className} data-decision={decision}>
      {label}
    </Badge>
  );
}
