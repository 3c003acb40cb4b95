"use client";

import Link from "next/link";
import { LoadError } from "@/components/load-error";
import { RelativeTime } from "@/components/relative-time";
import { DefinitionDiff } from "@/components/tools/definition-diff";
import { describeReclassification } from "@/components/tools/reclassification-words";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LoadingText } from "@/components/ui/loading-text";
import { useServerChanges, useServerTools, type ToolChange, type ToolSummary } from "@/lib/query-hooks/servers";
import { useAcceptToolChange } from "@/lib/query-hooks/tools";
import { readClassificationRecord } from "@/lib/servers/classification-record";

const KINDS: Record<ToolChange["kind"], { label: string; tone: BadgeTone }> = {
  added: { label: "Added", tone: "green" },
  changed: { label: "Changed", tone: "amber" },
  removed: { label: "Removed", tone: "neutral" },
  reclassified: { label: "Reclassified", tone: "indigo" },
};

export function ServerChanges({ serverId }: { serverId: string }) {
  const changes = useServerChanges(serverId);
  // Changes name their tool; the unfiltered tools list gives each name's id, for links and for accepting.
  const tools = useServerTools(serverId);
  const accept = useAcceptToolChange();
  const byName = new Map((tools.data ?? []).map((tool) => [tool.name, tool]));

  return (
    <section aria-labelledby="changes-heading" id="changes" className="scroll-mt-6 space-y-4">
      <div>
        <h2 id="changes-heading" className="text-lg font-semibold">
          Changes
        </h2>
        <p className="max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
          Models read tool descriptions as instructions, so a definition that changes without anyone noticing can steer
          an agent: Portcullis refuses calls to a changed tool until someone here accepts its new definition. When a
          newer classifier moves a tool&rsquo;s level or category, that is listed here too; overrides and policies stay as
          they were.
        </p>
      </div>
      {accept.isError && <Alert tone="error">{accept.error.message}</Alert>}
      {changes.isPending ? (
        <LoadingText>Loading changes…</LoadingText>
      ) : changes.isError ? (
        <LoadError title="The changes could not be loaded" error={changes.error} onRetry={() => void changes.refetch()} />
      ) : changes.data.length === 0 ? (
        <Card className="px-5 py-8 text-center text-sm text-zinc-600 dark:text-zinc-400">
          <p>No changes yet. Each re-sync compares the server&rsquo;s tools with the ones accepted before; added, changed and removed tools appear here.</p>
        </Card>
      ) : (
        <Card>
          <ol className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Tool changes">
            {changes.data.map((change) => (
              <ChangeItem
                key={change.id}
                change={change}
                tool={byName.get(change.toolName)}
                toolsLoaded={tools.isSuccess}
                accepting={accept.isPending && accept.variables === byName.get(change.toolName)?.id}
                onAccept={(toolId) => accept.mutate(toolId)}
              />
            ))}
          </ol>
        </Card>
      )}
    </section>
  );
}

function ChangeItem({
  change,
  tool,
  toolsLoaded,
  accepting,
  onAccept,
}: {
  change: ToolChange;
  tool: ToolSummary | undefined;
  toolsLoaded: boolean;
  accepting: boolean;
  onAccept: (toolId: string) => void;
}) {
  const kind = KINDS[change.kind];
  const awaitingReview = change.kind === "changed" && !change.reviewedAt;
  return (
    <li data-testid="change-item" className="space-y-3 px-5 py-4">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <Badge tone={kind.tone}>{kind.label}</Badge>
        {tool && change.kind !== "removed" ? (
          <Link href={`/tools/${tool.id}`} className="font-mono text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            {change.toolName}
          </Link>
        ) : (
          <span className="font-mono text-sm font-medium">{change.toolName}</span>
        )}
        <span className="text-xs text-zinc-500 dark:text-zinc-400">
          <RelativeTime value={change.detectedAt} />
        </span>
        <span className="ml-auto flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
          {change.reviewedAt ? (
            <>
              Accepted{change.reviewedBy ? ` by ${change.reviewedBy}` : ""} <RelativeTime value={change.reviewedAt} />
            </>
          ) : awaitingReview && toolsLoaded ? (
            tool?.status === "needs_review" ? (
              <Button size="sm" loading={accepting} onClick={() => onAccept(tool.id)} aria-label={`Accept new definition of ${change.toolName}`}>
                Accept new definition
              </Button>
            ) : (
              <span>Not reviewed</span>
            )
          ) : null}
        </span>
      </div>
      {change.kind === "reclassified" && <ReclassifiedLine change={change} />}
      {change.kind === "changed" && (
        <details open={awaitingReview} className="group">
          <summary className="cursor-pointer text-sm font-medium text-zinc-700 select-none hover:text-zinc-900 dark:text-zinc-300 dark:hover:text-zinc-100">
            What changed
          </summary>
          <div className="mt-2">
            <DefinitionDiff before={change.before} after={change.after} label={`Changes to ${change.toolName}`} />
          </div>
        </details>
      )}
    </li>
  );
}

function ReclassifiedLine({ change }: { change: ToolChange }) {
  const before = readClassificationRecord(change.before);
  const after = readClassificationRecord(change.after);
  if (!before || !after) return null;
  return <p className="text-sm text-zinc-700 dark:text-zinc-300">{describeReclassification(before, after)}</p>;
}
