"use client";

import { RelativeTime } from "@/components/relative-time";
import { describeReclassification } from "@/components/tools/reclassification-words";
import { RISK_CATEGORY_LABELS, RISK_LEVEL_LABELS } from "@/lib/risk/labels";
import type { ToolDetail } from "@/lib/query-hooks/tools";

/** The newest level or category a new classifier gave this tool, and whether a person's override still decides. */
export function ReclassificationNotice({ tool }: { tool: ToolDetail }) {
  const record = tool.reclassification;
  if (!record) return null;
  const override = tool.override;
  return (
    <section
      aria-label="Reclassified"
      data-testid="reclassification"
      className="rounded-lg border border-indigo-200 bg-indigo-50 px-5 py-4 text-sm text-indigo-950 dark:border-indigo-900 dark:bg-indigo-950/40 dark:text-indigo-100"
    >
      <p>
        <span className="font-semibold">{describeReclassification(record.before, record.after)}</span>{" "}
        <span className="text-indigo-800 dark:text-indigo-300">
          (<RelativeTime value={record.detectedAt} />)
        </span>
      </p>
      <p className="mt-1">
        A newer classifier judged this tool again from the same definition; its reasons are below.
        {record.overrideApplies && override && (
          <>
            {" "}
            Your team&rsquo;s override still applies:{" "}
            {[override.level && `${RISK_LEVEL_LABELS[override.level]} risk`, override.category && RISK_CATEGORY_LABELS[override.category]]
              .filter(Boolean)
              .join(", ")}
            , set by {override.by}.
          </>
        )}
      </p>
    </section>
  );
}
