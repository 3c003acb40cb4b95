"use client";

import { RelativeTime } from "@/components/relative-time";
import { DefinitionDiff } from "@/components/tools/definition-diff";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useAcceptToolChange, type ToolDetail } from "@/lib/query-hooks/tools";

/** A changed tool the gateway refuses until someone reads the diff and accepts the new definition. */
export function PendingChangeBanner({ tool }: { tool: ToolDetail }) {
  const accept = useAcceptToolChange();
  const change = tool.pendingChange;
  return (
    <section
      aria-labelledby="pending-change-heading"
      className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-5 text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="max-w-3xl">
          <h2 id="pending-change-heading" className="font-semibold">
            This tool&rsquo;s definition changed{change && <> <RelativeTime value={change.detectedAt} /></>}: review it
          </h2>
          <p className="mt-1 text-sm">
            Models read a tool&rsquo;s description and schema as instructions, so a silent change can redirect an agent. The
            gateway refuses calls to this tool until you accept the new definition.
          </p>
        </div>
        <Button loading={accept.isPending} onClick={() => accept.mutate(tool.id)}>
          Accept new definition
        </Button>
      </div>
      {accept.isError && <Alert tone="error">{accept.error.message}</Alert>}
      {change && <DefinitionDiff before={change.before} after={change.after} label={`Changes to ${tool.name}`} />}
    </section>
  );
}
