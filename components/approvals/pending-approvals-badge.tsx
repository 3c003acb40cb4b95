"use client";

import { usePendingApprovals } from "@/lib/query-hooks/approvals";

const NAV_POLL_MS = 5_000;

/** The navigation's count of calls waiting for a decision; nothing when none waits. */
export function PendingApprovalsBadge() {
  // The Approvals page's own query, polled more slowly: on that page both always show the same count.
  const { data } = usePendingApprovals(NAV_POLL_MS);
  const count = data?.pendingCount ?? 0;
  if (count === 0) return null;
  return (
    <span
      data-testid="pending-approvals-badge"
      className="inline-flex h-5 min-w-5 items-center justify-center rounded-full bg-amber-400 px-1.5 text-xs font-semibold text-amber-950 tabular-nums"
    >
      <span aria-hidden="true">{count > 99 ? "99+" : count}</span>
      <span className="sr-only">{count} waiting</span>
    </span>
  );
}
