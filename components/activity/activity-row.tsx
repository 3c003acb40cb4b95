"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { formatCallTime, formatDuration, formatFullTime, shortId } from "@/components/activity/format";
import { DecisionBadge } from "@/components/policy/decision-badge";
import type { AuditEvent } from "@/lib/query-hooks/audit";

export const COLUMN_COUNT = 8;

/** One call, and under it (when expanded) everything the trail recorded about it. */
export function ActivityRow({
  event,
  expanded,
  onToggle,
  fresh,
  now,
}: {
  event: AuditEvent;
  expanded: boolean;
  onToggle: () => void;
  /** Just arrived through the live updates: highlighted for a moment. */
  fresh: boolean;
  now: Date;
}) {
  const time = formatCallTime(event.at, now);
  const detailsId = `call-${event.id}`;
  const what = event.tool ?? event.method ?? "request";
  return (
    <>
      <tr
        data-testid="activity-row"
        data-decision={event.decision}
        // The whole row toggles for a pointer (the button is the keyboard's way), unless text is being selected.
        onClick={() => {
          if (!window.getSelection()?.toString()) onToggle();
        }}
        className={`cursor-pointer align-top transition-colors duration-1000 hover:bg-zinc-50 dark:hover:bg-zinc-800/40 ${
          fresh ? "bg-indigo-50 dark:bg-indigo-950/50" : ""
        } ${expanded ? "bg-zinc-50 dark:bg-zinc-800/40" : ""}`}
      >
        <td className="py-2.5 pr-2 pl-3">
          <button
            type="button"
            aria-expanded={expanded}
            aria-controls={detailsId}
            aria-label={`Details of the ${what} call at ${time.time}${time.day ? `, ${time.day}` : ""}`}
            className="flex h-6 w-6 items-center justify-center rounded text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-700 dark:hover:text-zinc-100"
          >
            <svg viewBox="0 0 20 20" className={`h-4 w-4 transition-transform ${expanded ? "rotate-90" : ""}`} fill="currentColor" aria-hidden="true">
              <path d="M7.2 4.2a1 1 0 0 1 1.4 0l5 5a1 1 0 0 1 0 1.4l-5 5a1 1 0 1 1-1.4-1.4L11.5 10 7.2 5.6a1 1 0 0 1 0-1.4Z" />
            </svg>
          </button>
        </td>
        <td className="py-2.5 pr-3 whitespace-nowrap tabular-nums">
          <time dateTime={event.at} title={time.full}>
            {time.time}
            {time.day && <span className="block text-xs text-zinc-500 dark:text-zinc-400">{time.day}</span>}
          </time>
        </td>
        <td className="py-2.5 pr-3">
          <Reference value={event.server} kind="server" />
          <Reference value={event.grant} kind="grant" />
        </td>
        <td className="py-2.5 pr-3">
          {event.tool ? (
            <>
              <p className="truncate font-mono font-medium text-zinc-900 dark:text-zinc-100" title={event.tool}>
                {event.tool}
              </p>
              <p className="truncate font-mono text-xs text-zinc-500 dark:text-zinc-400">{event.method}</p>
            </>
          ) : (
            <p className="truncate font-mono text-zinc-600 dark:text-zinc-400" title={event.method ?? undefined}>
              {event.method ?? "—"}
            </p>
          )}
        </td>
        <td className="py-2.5 pr-3">
          <DecisionBadge decision={event.decision} />
          {event.rule && (
            <p className="mt-1 truncate font-mono text-xs text-zinc-500 dark:text-zinc-400" title={`Rule: ${event.rule}`}>
              <span className="sr-only">Rule: </span>
              {event.rule}
            </p>
          )}
        </td>
        <td className="py-2.5 pr-3 text-zinc-600 dark:text-zinc-400">
          {/* An allowed call has nothing to explain; a refusal without a reason still has its code. */}
          <p className="line-clamp-2" title={event.reason ?? undefined}>
            {event.reason ?? (event.decision === "allow" ? "" : event.code)}
          </p>
        </td>
        <td className="py-2.5 pr-3 text-right whitespace-nowrap tabular-nums">
          <Status status={event.upstreamStatus} forwarded={event.forwarded} />
        </td>
        <td className="py-2.5 pr-4 text-right whitespace-nowrap tabular-nums">
          <p title="Time spent in Portcullis">{formatDuration(event.gatewayMs)}</p>
          {event.upstreamMs !== null && (
            <p className="text-xs text-zinc-500 dark:text-zinc-400" title="Time the upstream took to answer">
              upstream {formatDuration(event.upstreamMs)}
            </p>
          )}
        </td>
      </tr>
      {expanded && (
        <tr id={detailsId} className="bg-zinc-50 dark:bg-zinc-800/40">
          <td />
          <td colSpan={COLUMN_COUNT - 1} className="pt-1 pr-5 pb-4">
            <CallDetails event={event} />
          </td>
        </tr>
      )}
    </>
  );
}

/** A server (first line) or grant (second line, smaller) by name, or "deleted" with the start of its id. */
function Reference({ value, kind }: { value: AuditEvent["server"]; kind: "server" | "grant" }) {
  const line = kind === "server" ? "text-zinc-900 dark:text-zinc-100" : "text-xs text-zinc-500 dark:text-zinc-400";
  const label = kind === "server" ? "Server" : "Grant";
  if (!value) {
    return (
      <p className={`${line} text-zinc-400 dark:text-zinc-500`}>
        <span className="sr-only">{label}: </span>—
      </p>
    );
  }
  if (value.name === null) {
    return (
      <p className={`${line} truncate italic`} title={`This ${kind} was deleted. Its id was ${value.id}.`}>
        <span className="sr-only">{label}: </span>
        deleted <span className="font-mono text-xs not-italic">{shortId(value.id)}</span>
      </p>
    );
  }
  return (
    <p className={`${line} truncate`} title={`${label}: ${value.name}`}>
      <span className="sr-only">{label}: </span>
      {value.name}
    </p>
  );
}

function Status({ status, forwarded }: { status: number | null; forwarded: boolean }) {
  if (status === null && forwarded) {
    return (
      <span className="text-zinc-500 dark:text-zinc-400" title="Forwarded; no answer recorded yet">
        …
      </span>
    );
  }
  if (status === null) {
    return (
      <span className="text-zinc-400 dark:text-zinc-500" title="Not forwarded to the upstream">
        —
      </span>
    );
  }
  const tone = status >= 500 ? "text-red-700 dark:text-red-400" : status >= 400 ? "text-orange-700 dark:text-orange-400" : "text-zinc-900 dark:text-zinc-100";
  return <span className={`font-mono ${tone}`} title={`The upstream answered HTTP ${status}`}>{status}</span>;
}

function CallDetails({ event }: { event: AuditEvent }) {
  return (
    <dl className="grid gap-x-6 gap-y-3 rounded-md border border-zinc-200 bg-white p-4 text-sm sm:grid-cols-2 lg:grid-cols-3 dark:border-zinc-800 dark:bg-zinc-900">
      <Detail label="Time">{formatFullTime(event.at)}</Detail>
      <Detail label="Request id" mono>
        {event.requestId}
      </Detail>
      <Detail label="Decision code" mono>
        {event.code ?? "—"}
      </Detail>
      <Detail label="Server">
        {event.server ? (
          event.server.name !== null ? (
            <Link href={`/servers/${event.server.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
              {event.server.name}
            </Link>
          ) : (
            <span>
              Deleted <span className="font-mono text-xs break-all">{event.server.id}</span>
            </span>
          )
        ) : (
          "—"
        )}
      </Detail>
      <Detail label="Grant">
        {event.grant ? (
          event.grant.name ?? (
            <span>
              Deleted <span className="font-mono text-xs break-all">{event.grant.id}</span>
            </span>
          )
        ) : (
          "—"
        )}
      </Detail>
      <Detail label="Rule">
        {event.rule ? (
          <span className="font-mono text-xs">{event.rule}</span>
        ) : event.code === "denied_by_default" ? (
          "None: the policy's default"
        ) : event.code?.startsWith("key_") ? (
          "None: refused for its key, before the policy"
        ) : (
          "—"
        )}
      </Detail>
      <Detail label="Upstream">
        {event.upstreamStatus !== null
          ? `HTTP ${event.upstreamStatus}`
          : event.forwarded
            ? "Forwarded; no answer recorded (still in flight, or the gateway stopped before the answer)"
            : "Not forwarded"}
        {event.upstreamMs !== null && `, answered in ${formatDuration(event.upstreamMs)}`}
      </Detail>
      <Detail label="Time in Portcullis">{formatDuration(event.gatewayMs)}</Detail>
      <Detail label="Arguments">
        {event.argumentNames.length === 0 ? (
          <span className="text-zinc-500 dark:text-zinc-400">None</span>
        ) : (
          <ul className="flex flex-wrap gap-1" aria-label="Argument names">
            {event.argumentNames.map((name) => (
              <li key={name} className="rounded border border-zinc-200 bg-zinc-50 px-1.5 py-0.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-800">
                {name}
              </li>
            ))}
          </ul>
        )}
      </Detail>
      <Detail label="Reason" wide>
        {event.reason ?? <span className="text-zinc-500 dark:text-zinc-400">None given</span>}
      </Detail>
      <Detail label="Arguments digest (SHA-256)" wide mono>
        {event.argumentsSha256 ?? "—"}
      </Detail>
      <p className="text-xs text-zinc-500 sm:col-span-2 lg:col-span-3 dark:text-zinc-400">
        Argument values are never recorded. Calls with the same digest had identical arguments.
      </p>
    </dl>
  );
}

function Detail({ label, children, mono = false, wide = false }: { label: string; children: ReactNode; mono?: boolean; wide?: boolean }) {
  return (
    <div className={wide ? "sm:col-span-2 lg:col-span-3" : ""}>
      <dt className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className={`mt-0.5 break-words text-zinc-900 dark:text-zinc-100 ${mono ? "font-mono text-xs break-all" : ""}`}>{children}</dd>
    </div>
  );
}
