"use client";

import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { LiveStatus, type LiveState } from "@/components/activity/live-status";
import { ApprovalCard } from "@/components/approvals/approval-card";
import { DecisionTable } from "@/components/approvals/decision-table";
import { LoadError } from "@/components/load-error";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingText } from "@/components/ui/loading-text";
import { useNow } from "@/components/use-now";
import { useDecidedApprovals, usePendingApprovals, type ApprovalView } from "@/lib/query-hooks/approvals";

const LIVE_HINTS = {
  live: "Calls held for approval appear here as they arrive.",
  reconnecting: "New held calls could not be fetched; Portcullis keeps trying.",
};

/** The Approvals page: calls waiting for a decision (checked every second), and what became of recent ones. */
export function ApprovalsView() {
  const pending = usePendingApprovals();
  const decided = useDecidedApprovals();
  const now = useNow(1_000);
  // Cards the API said can no longer be decided stay, with the reason, until dismissed.
  const [closed, setClosed] = useState<ReadonlyMap<string, ApprovalView>>(new Map());
  // The last decision made here, said above the list (and to screen readers) as its card leaves.
  const [lastDecision, setLastDecision] = useState<{ text: string; id: string } | null>(null);
  const waitingHeading = useRef<HTMLHeadingElement>(null);

  const cards = useMemo(() => {
    const waiting = pending.data?.approvals ?? [];
    const shown = new Set(waiting.map((a) => a.id));
    const kept = [...closed.values()].filter((a) => !shown.has(a.id));
    // Calls whose agent is still on the line first (a decision reaches it at once), then the longest-waiting.
    const live = (a: ApprovalView) => a.waitingUntil !== null && Date.parse(a.waitingUntil) > now.getTime();
    return [...waiting, ...kept].sort((a, b) => Number(live(b)) - Number(live(a)) || a.createdAt.localeCompare(b.createdAt));
  }, [pending.data, closed, now]);

  // A call that stops waiting without a decision here (decided elsewhere, withdrawn, expired) belongs in Recent
  // decisions at once, not at the next poll.
  const pendingIds = pending.data?.approvals.map((a) => a.id).join() ?? "";
  const refetchDecided = decided.refetch;
  const previousIds = useRef(pendingIds);
  useEffect(() => {
    const current = new Set(pendingIds.split(","));
    const left = previousIds.current.split(",").some((id) => id && !current.has(id));
    previousIds.current = pendingIds;
    if (left) void refetchDecided();
  }, [pendingIds, refetchDecided]);

  // Focus follows a decision made from a card, once the card has left: to the next card, or to the section heading.
  const focusAfter = useRef<{ gone: string; next: string | null } | null>(null);
  useEffect(() => {
    const target = focusAfter.current;
    if (!target || cards.some((c) => c.id === target.gone)) return;
    focusAfter.current = null;
    const next = target.next ? document.getElementById(`approval-${target.next}`) : null;
    (next ?? waitingHeading.current)?.focus();
    // lastDecision: the card may have left before the decision's callback ran.
  }, [cards, lastDecision]);

  function decidedHere(approval: ApprovalView, hadFocus: boolean) {
    if (hadFocus) {
      const index = cards.findIndex((c) => c.id === approval.id);
      focusAfter.current = { gone: approval.id, next: (cards[index + 1] ?? cards[index - 1])?.id ?? null };
    }
    setLastDecision({ id: approval.id, text: `${approval.status === "rejected" ? "Rejected" : "Approved"}: ${approval.tool} from ${approval.grant.name}.` });
  }

  const liveState: LiveState = pending.isError ? "reconnecting" : "live";
  const count = pending.data?.pendingCount ?? 0;

  return (
    <>
      <PageHeader
        title="Approvals"
        description="Calls that a policy holds until a person approves or rejects them. Argument values are shown here, to approvers, and never recorded in the activity trail."
        actions={pending.data ? <LiveStatus state={liveState} hints={LIVE_HINTS} /> : undefined}
      />
      <div className="space-y-10">
        <section aria-labelledby="waiting-heading" className="space-y-4">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="waiting-heading" ref={waitingHeading} tabIndex={-1} className="flex items-center gap-2 text-base font-semibold outline-none">
              Waiting for a decision
              {/* The sentence next to the heading says the count in words. */}
              {count > 0 && (
                <Badge tone="amber" aria-hidden="true">
                  {count}
                </Badge>
              )}
            </h2>
            {pending.data && (
              <p aria-live="polite" className="text-sm text-zinc-600 dark:text-zinc-400">
                {lastDecision && <span className="font-medium text-zinc-900 dark:text-zinc-100">{lastDecision.text} </span>}
                {count === 0 ? "Nothing is waiting." : count === 1 ? "1 call is waiting." : `${count} calls are waiting: those whose agent is still waiting first, then the longest-waiting.`}
              </p>
            )}
          </div>
          {pending.isPending ? (
            <LoadingText>Loading the calls waiting for approval…</LoadingText>
          ) : pending.isError && !pending.data ? (
            <LoadError title="The calls waiting for approval could not be loaded" error={pending.error} onRetry={() => void pending.refetch()} />
          ) : cards.length === 0 ? (
            <NothingWaiting seenBefore={(decided.data?.length ?? 0) > 0} />
          ) : (
            <ul className="space-y-4" aria-label="Calls waiting for a decision">
              {cards.map((approval) => (
                <li key={approval.id}>
                  <ApprovalCard
                    approval={approval}
                    now={now}
                    closed={closed.has(approval.id)}
                    onDecided={decidedHere}
                    onClosed={(a) => setClosed((map) => new Map(map).set(a.id, a))}
                    onDismiss={(id) =>
                      setClosed((map) => {
                        const next = new Map(map);
                        next.delete(id);
                        return next;
                      })
                    }
                  />
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="decided-heading" className="space-y-4">
          <div>
            <h2 id="decided-heading" className="text-base font-semibold">
              Recent decisions
            </h2>
            <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">
              Approved, rejected, expired and withdrawn calls, newest first. Argument values are erased once a call is done.
            </p>
          </div>
          {decided.isPending ? (
            <LoadingText>Loading recent decisions…</LoadingText>
          ) : decided.isError && !decided.data ? (
            <LoadError title="Recent decisions could not be loaded" error={decided.error} onRetry={() => void decided.refetch()} />
          ) : decided.data.length === 0 ? (
            <Card className="px-5 py-8 text-center text-sm text-zinc-600 dark:text-zinc-400">
              <p>No decisions yet. Once a held call is approved, rejected, expires or is withdrawn by its agent, it is listed here.</p>
            </Card>
          ) : (
            <DecisionTable approvals={decided.data} />
          )}
        </section>
      </div>
    </>
  );
}

/** `seenBefore`: this workspace has had held calls, so it needs no lesson in how to hold one. */
function NothingWaiting({ seenBefore }: { seenBefore: boolean }) {
  if (seenBefore) {
    return (
      <EmptyState title="Nothing is waiting for approval" icon={<HandIcon />}>
        <p>New held calls appear here on their own; keep this page open. What became of earlier ones is below.</p>
      </EmptyState>
    );
  }
  return (
    <EmptyState title="Nothing is waiting for approval" icon={<HandIcon />}>
      <p>
        When a policy rule requires approval, each call to that tool waits here with its arguments, so you can see exactly
        what would run before you approve or reject it. New calls appear on their own; keep this page open.
      </p>
      <p>
        To hold a tool&apos;s calls, set its rule to <span className="font-medium text-zinc-800 dark:text-zinc-200">Require approval</span> in
        its server&apos;s policy, or write{" "}
        <code className="rounded bg-zinc-100 px-1 py-0.5 text-xs dark:bg-zinc-800">{'{"action": "require_approval"}'}</code> in the JSON.
      </p>
      <div className="pt-3">
        <Link
          href="/policies"
          className="inline-flex h-10 items-center rounded-md bg-indigo-600 px-4 text-sm font-medium text-white hover:bg-indigo-500"
        >
          Go to your policies
        </Link>
      </div>
    </EmptyState>
  );
}

function HandIcon() {
  return (
    <svg viewBox="0 0 24 24" className="h-10 w-10" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path
        d="M10 11V5.5a1.5 1.5 0 0 1 3 0V11m0-1.5V4.5a1.5 1.5 0 0 1 3 0V11m0-3.5a1.5 1.5 0 0 1 3 0V15a6 6 0 0 1-6 6h-1.2a6 6 0 0 1-4.7-2.3L3.6 15a1.6 1.6 0 0 1 2.4-2.1L7 14V7.5a1.5 1.5 0 0 1 3 0V11"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
