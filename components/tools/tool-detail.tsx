"use client";

import Link from "next/link";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { HowLevelsWorkLink } from "@/components/how-levels-work-link";
import { LoadError } from "@/components/load-error";
import { RiskBadge } from "@/components/risk-badge";
import { RISK_CATEGORY_LABELS, RISK_LEVEL_LABELS } from "@/lib/risk/labels";
import { OverridePanel } from "@/components/tools/override-panel";
import { PendingChangeBanner } from "@/components/tools/pending-change-banner";
import { ReclassificationNotice } from "@/components/tools/reclassification-notice";
import { RecommendationChangeNote } from "@/components/tools/recommendation-change-note";
import { RecommendedRule } from "@/components/tools/recommended-rule";
import { ToolSchemaCards } from "@/components/tools/tool-schema-cards";
import { ToolStatusBadge } from "@/components/tools/tool-status-badge";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingText } from "@/components/ui/loading-text";
import { TitledCard } from "@/components/ui/titled-card";
import { ApiProblem } from "@/lib/query-hooks/api-fetch";
import { useTool } from "@/lib/query-hooks/tools";

export function ToolDetailView({ id }: { id: string }) {
  const query = useTool(id);

  if (query.isPending) return <LoadingText>Loading the tool…</LoadingText>;
  if (query.isError) {
    if (query.error instanceof ApiProblem && query.error.problem.status === 404) {
      return (
        <EmptyState title="This tool does not exist">
          <p>Its server may have been removed, or the link is wrong.</p>
          <p>
            <Link href="/servers" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
              Back to your servers
            </Link>
          </p>
        </EmptyState>
      );
    }
    return <LoadError title="The tool could not be loaded" error={query.error} onRetry={() => void query.refetch()} />;
  }
  const tool = query.data;

  return (
    <div className="space-y-6">
      <div>
        <Breadcrumbs items={[{ href: "/servers", label: "Servers" }, { href: `/servers/${tool.server.id}`, label: tool.server.name }, { label: tool.name }]} />
        <h1 className="font-mono text-2xl font-semibold tracking-tight break-all">{tool.name}</h1>
        {tool.title && <p className="mt-1 text-lg text-zinc-700 dark:text-zinc-300">{tool.title}</p>}
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <RiskBadge level={tool.level} />
          <Badge>{RISK_CATEGORY_LABELS[tool.category]}</Badge>
          {tool.overridden && <Badge tone="indigo">Overridden</Badge>}
          <ToolStatusBadge status={tool.status} />
          <span className="text-sm text-zinc-500 dark:text-zinc-400">
            on{" "}
            <Link href={`/servers/${tool.server.id}`} className="font-medium text-zinc-700 hover:underline dark:text-zinc-300">
              {tool.server.name}
            </Link>
          </span>
          <HowLevelsWorkLink className="ml-1" />
        </div>
      </div>

      {tool.status === "needs_review" && <PendingChangeBanner tool={tool} />}
      <ReclassificationNotice tool={tool} />
      {tool.status === "removed" && (
        <Alert title="The server no longer lists this tool">
          Its last known definition is kept so you can still read it. Agents cannot call it: the server would not answer.
        </Alert>
      )}

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-6">
          <TitledCard title="What it does">
            {tool.description ? (
              <p className="text-sm whitespace-pre-line">{tool.description}</p>
            ) : (
              <p className="text-sm text-zinc-600 italic dark:text-zinc-400">
                The server gives no description, so agents pick this tool from its name and arguments alone.
              </p>
            )}
          </TitledCard>

          <TitledCard
            title="Why it needs a policy"
            description={`Classified ${RISK_LEVEL_LABELS[tool.classifiedLevel]} risk, ${RISK_CATEGORY_LABELS[tool.classifiedCategory]}, for these reasons:`}
          >
            <ul className="space-y-2 text-sm" aria-label="Reasons">
              {tool.reasons.map((reason, index) => (
                <li key={index} className="flex gap-2">
                  <span aria-hidden="true" className="mt-2 h-1.5 w-1.5 shrink-0 rounded-full bg-zinc-400 dark:bg-zinc-500" />
                  <span>{reason.charAt(0).toUpperCase() + reason.slice(1)}</span>
                </li>
              ))}
            </ul>
          </TitledCard>

          <TitledCard title="Recommended rule" description="Paste it into a policy, or build the same rule visually.">
            {tool.reclassification && <RecommendationChangeNote reclassification={tool.reclassification} />}
            <RecommendedRule toolId={tool.id} rule={tool.recommendedRule} policy={tool.recommendedPolicy} level={tool.level} />
          </TitledCard>

          <ToolSchemaCards inputSchema={tool.inputSchema} annotations={tool.annotations} />
        </div>

        <aside className="space-y-6" aria-label="Classification">
          <TitledCard title="Override">
            <OverridePanel key={tool.id} tool={tool} />
          </TitledCard>
        </aside>
      </div>
    </div>
  );
}
