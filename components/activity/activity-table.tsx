"use client";

import { useState } from "react";
import { ActivityRow } from "@/components/activity/activity-row";
import { Card } from "@/components/ui/card";
import type { AuditEvent } from "@/lib/query-hooks/audit";

/** The calls, newest first; a row expands to show its details. */
export function ActivityTable({
  events,
  fresh,
  dimmed,
  now,
}: {
  events: AuditEvent[];
  fresh: ReadonlySet<string>;
  dimmed: boolean;
  /** For "today": calls of another day show their date. */
  now: Date;
}) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());

  function toggle(id: string) {
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  return (
    <Card className="overflow-x-auto">
      <table className="w-full min-w-[56rem] table-fixed text-left text-sm" aria-label="Calls through the gateway">
        <colgroup>
          <col className="w-10" />
          <col className="w-24" />
          <col className="w-36" />
          <col className="w-44" />
          <col className="w-36" />
          <col />
          <col className="w-16" />
          <col className="w-28" />
        </colgroup>
        <thead className="border-b border-zinc-200 text-xs tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <th scope="col" className="py-2 pl-3">
              <span className="sr-only">Details</span>
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              Time
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              Server / grant
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              Tool
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              Decision
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              Reason
            </th>
            <th scope="col" className="py-2 pr-3 text-right font-medium">
              <abbr title="The upstream's HTTP status; — when the call was not forwarded" className="no-underline">
                Status
              </abbr>
            </th>
            <th scope="col" className="py-2 pr-4 text-right font-medium">
              <abbr title="Time spent in Portcullis, then in the upstream" className="no-underline">
                Latency
              </abbr>
            </th>
          </tr>
        </thead>
        <tbody className={`divide-y divide-zinc-100 dark:divide-zinc-800 ${dimmed ? "opacity-60" : ""}`}>
          {events.map((event) => (
            <ActivityRow
              key={event.id}
              event={event}
              expanded={expanded.has(event.id)}
              onToggle={() => toggle(event.id)}
              fresh={fresh.has(event.id)}
              now={now}
            />
          ))}
        </tbody>
      </table>
    </Card>
  );
}
