"use client";

import Link from "next/link";
import { useId, useRef, useState } from "react";
import { formatSpan } from "@/components/approvals/format-span";
import { RiskBadge } from "@/components/risk-badge";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TextareaField } from "@/components/ui/textarea-field";
import { ApiProblem } from "@/lib/query-hooks/api-fetch";
import { useDecideApproval, type ApprovalView } from "@/lib/query-hooks/approvals";

const fullTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

type Decision = "approve" | "reject";

/**
 * One held call: what would run (tool, server, grant, the rule that held it, its argument values), whether its
 * agent is waiting on it right now, and the decision. `closed` when the API said it can no longer be decided (someone
 * else decided, or it expired): it stays, with the reason, until dismissed.
 */
export function ApprovalCard({
  approval,
  now,
  closed,
  onDecided,
  onClosed,
  onDismiss,
}: {
  approval: ApprovalView;
  now: Date;
  closed: boolean;
  /** `hadFocus`: the decision was made from inside the card, so focus should move on when it leaves. */
  onDecided: (decided: ApprovalView, hadFocus: boolean) => void;
  onClosed: (approval: ApprovalView) => void;
  onDismiss: (id: string) => void;
}) {
  const headingId = useId();
  const argumentsId = useId();
  const card = useRef<HTMLElement>(null);
  const [choice, setChoice] = useState<Decision | null>(null);
  const [note, setNote] = useState("");
  const hadFocus = useRef(false);
  const decide = useDecideApproval({
    decided: (decided) => onDecided(decided, hadFocus.current),
    failed: (error) => {
      if (error instanceof ApiProblem && error.problem.status === 409) onClosed(approval);
    },
  });

  function submit(decision: Decision) {
    setChoice(decision);
    hadFocus.current = Boolean(card.current?.contains(document.activeElement));
    decide.mutate({ id: approval.id, decision, note: note.trim() || undefined });
  }

  const noteError = decide.error instanceof ApiProblem ? decide.error.fieldError("note") : undefined;
  const error = decide.error && !noteError ? decide.error.message : null;
  const waited = now.getTime() - Date.parse(approval.createdAt);
  // The agent's client holds the call open: the card stands out while it does.
  const agentWaiting = approval.waitingUntil !== null && Date.parse(approval.waitingUntil) > now.getTime();

  return (
    <article
      ref={card}
      id={`approval-${approval.id}`}
      // Focus moves here when the card before it is decided.
      tabIndex={-1}
      aria-labelledby={headingId}
      data-testid="approval-card"
      data-approval-id={approval.id}
      className={`rounded-lg border bg-white shadow-xs outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:bg-zinc-900 ${
        closed ? "opacity-80" : ""
      } ${agentWaiting && !closed ? "border-amber-300 dark:border-amber-800" : "border-zinc-200 dark:border-zinc-800"}`}
    >
      <header className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2 border-b border-zinc-200 px-5 py-4 dark:border-zinc-800">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h3 id={headingId} className="font-mono text-base font-semibold break-all text-zinc-900 dark:text-zinc-100">
              {approval.tool}
            </h3>
            {approval.level ? (
              <RiskBadge level={approval.level} />
            ) : (
              <Badge title="The server no longer lists this tool, so its risk is not known.">Risk unknown</Badge>
            )}
          </div>
          <dl className="mt-1 flex flex-wrap gap-x-5 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
            <div className="flex gap-1.5">
              <dt>Server</dt>
              <dd>
                <Link href={`/servers/${approval.server.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  {approval.server.name}
                </Link>
              </dd>
            </div>
            <div className="flex gap-1.5">
              <dt>Grant</dt>
              <dd className="font-medium text-zinc-900 dark:text-zinc-100">{approval.grant.name}</dd>
            </div>
            {approval.rule && (
              <div className="flex gap-1.5">
                <dt>Rule</dt>
                <dd className="font-mono text-xs leading-5 text-zinc-900 dark:text-zinc-100">{approval.rule}</dd>
              </div>
            )}
          </dl>
        </div>
        <p className="text-sm whitespace-nowrap text-zinc-500 tabular-nums dark:text-zinc-400" title={`Held since ${fullTime.format(new Date(approval.createdAt))}`}>
          waiting {formatSpan(waited)}
        </p>
      </header>

      <div className="grid gap-5 p-5 lg:grid-cols-[minmax(0,1fr)_19rem]">
        <div className="min-w-0 space-y-4">
          {approval.reason && (
            <p className="text-sm text-zinc-700 dark:text-zinc-300">
              <span className="font-medium text-zinc-900 dark:text-zinc-100">Why it is held: </span>
              <WithCode text={approval.reason} />
            </p>
          )}
          <div className="space-y-1.5">
            <p id={argumentsId} className="text-sm font-medium text-zinc-800 dark:text-zinc-200">
              Arguments
            </p>
            <CallArguments approval={approval} labelledBy={argumentsId} />
          </div>
        </div>

        <div className="space-y-4">
          <AgentWaiting approval={approval} now={now} />
          <TextareaField
            label="Note (optional)"
            hint="Sent to the agent if you reject the call, and recorded with your decision."
            value={note}
            onChange={(event) => setNote(event.target.value)}
            maxLength={1000}
            rows={2}
            disabled={closed || decide.isPending}
            error={noteError}
          />
          {error && (
            <Alert tone="error" title={closed ? "This call can no longer be decided" : "The decision was not saved"}>
              {error}
            </Alert>
          )}
          {closed ? (
            <Button variant="secondary" onClick={() => onDismiss(approval.id)}>
              Dismiss
            </Button>
          ) : (
            <div className="flex flex-wrap gap-2">
              <Button onClick={() => submit("approve")} loading={decide.isPending && choice === "approve"} disabled={decide.isPending}>
                Approve
              </Button>
              <Button variant="danger" onClick={() => submit("reject")} loading={decide.isPending && choice === "reject"} disabled={decide.isPending}>
                Reject
              </Button>
            </div>
          )}
        </div>
      </div>
    </article>
  );
}

/** The argument values, formatted; shown here only (the audit trail keeps names and a digest). */
function CallArguments({ approval, labelledBy }: { approval: ApprovalView; labelledBy: string }) {
  if (approval.arguments === null) {
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The values are no longer kept.{" "}
        {approval.argumentNames.length > 0 ? `Names: ${approval.argumentNames.join(", ")}.` : ""}
      </p>
    );
  }
  if (Object.keys(approval.arguments).length === 0) {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">None: the call has no arguments.</p>;
  }
  return (
    <pre
      role="region"
      aria-labelledby={labelledBy}
      // Scrollable, so it must be reachable by keyboard.
      tabIndex={0}
      className="max-h-72 overflow-auto rounded-md border border-zinc-200 bg-zinc-50 p-3 font-mono text-xs leading-5 whitespace-pre-wrap text-zinc-900 outline-none [overflow-wrap:anywhere] focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-100"
    >
      {JSON.stringify(approval.arguments, null, 2)}
    </pre>
  );
}

/** Whether the agent's client is holding the call open now, or will pick the decision up when it retries. */
function AgentWaiting({ approval, now }: { approval: ApprovalView; now: Date }) {
  const left = approval.waitingUntil ? Date.parse(approval.waitingUntil) - now.getTime() : 0;
  if (left > 0) {
    return (
      <div className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200">
        <p className="flex items-center gap-2 font-medium tabular-nums">
          <span aria-hidden="true" className="relative flex h-2 w-2">
            <span className="absolute inline-flex h-full w-full animate-ping rounded-full bg-amber-500 opacity-60 motion-reduce:animate-none" />
            <span className="relative inline-flex h-2 w-2 rounded-full bg-amber-500" />
          </span>
          The agent is waiting: {formatSpan(left)} left
        </p>
        <p className="mt-0.5 text-xs">Decide before then and it gets the answer at once.</p>
      </div>
    );
  }
  const open = Date.parse(approval.expiresAt) - now.getTime();
  return (
    <div className="rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-700 dark:border-zinc-800 dark:bg-zinc-800/50 dark:text-zinc-300">
      <p className="font-medium">The agent stopped waiting; if you approve, its next identical call goes through once.</p>
      {open > 0 && <p className="mt-0.5 text-xs tabular-nums">This can be decided for {formatSpan(open)} more.</p>}
    </div>
  );
}

/** The gateway's reasons quote names in backticks, as for the agent; here they read as code. */
function WithCode({ text }: { text: string }) {
  return text.split(/`([^`]+)`/).map((part, index) =>
    index % 2 === 1 ? (
      <code key={index} className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-xs dark:bg-zinc-800">
        {part}
      </code>
    ) : (
      part
    ),
  );
}
