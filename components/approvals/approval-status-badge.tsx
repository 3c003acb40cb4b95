import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { ApprovalStatus } from "@/lib/query-hooks/approvals";

// What happened to a held call, in words a person reads at a glance.
const STATUSES: Record<ApprovalStatus, { label: string; tone: BadgeTone; hint: string }> = {
  pending: { label: "Waiting for a decision", tone: "amber", hint: "Nobody has decided yet." },
  approved: {
    label: "Approved, not used yet",
    tone: "indigo",
    hint: "Approved: the agent's next identical call goes through once, until the approval expires.",
  },
  used: { label: "Approved and made", tone: "green", hint: "Approved, and the call went through to the server." },
  rejected: { label: "Rejected", tone: "red", hint: "Rejected: the agent was told, with the note if there was one." },
  expired: { label: "Expired", tone: "neutral", hint: "Nobody decided in time, or an approved call was not made in time." },
  withdrawn: { label: "Withdrawn by its client", tone: "neutral", hint: "The agent's client went away while the call was held." },
};

export function ApprovalStatusBadge({ status }: { status: ApprovalStatus }) {
  const { label, tone, hint } = STATUSES[status];
  return (
    <Badge tone={tone} dot title={hint} data-status={status}>
      {label}
    </Badge>
  );
}
