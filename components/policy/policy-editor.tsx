"use client";

import Link from "next/link";
import { LoadError } from "@/components/load-error";
import type { RuleProposal } from "@/components/policy/catalog-proposal";
import { PolicyWorkspace } from "@/components/policy/policy-workspace";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingText } from "@/components/ui/loading-text";
import { ApiProblem } from "@/lib/query-hooks/api-fetch";
import { usePolicy } from "@/lib/query-hooks/policies";
import { useServer, useServerTools } from "@/lib/query-hooks/servers";

/**
 * The policy page: the server, its policy and its tools loaded, then the workspace (policy-workspace.tsx).
 * `proposal` is a catalog rule to start the draft with; `proposalProblem` says why the one asked for could not be.
 */
export function PolicyEditor({
  serverId,
  proposal = null,
  proposalProblem = null,
}: {
  serverId: string;
  proposal?: RuleProposal | null;
  proposalProblem?: string | null;
}) {
  const server = useServer(serverId);
  const policy = usePolicy(serverId);
  const tools = useServerTools(serverId);

  if (server.isError) {
    if (server.error instanceof ApiProblem && server.error.problem.status === 404) {
      return (
        <EmptyState title="This server does not exist">
          <p>It may have been removed, or the link is wrong.</p>
          <p>
            <Link href="/policies" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
              Back to policies
            </Link>
          </p>
        </EmptyState>
      );
    }
    return <LoadError title="The server could not be loaded" error={server.error} onRetry={() => void server.refetch()} />;
  }
  if (policy.isError) return <LoadError title="The policy could not be loaded" error={policy.error} onRetry={() => void policy.refetch()} />;
  if (tools.isError) return <LoadError title="The server's tools could not be loaded" error={tools.error} onRetry={() => void tools.refetch()} />;
  if (server.isPending || policy.isPending || tools.isPending) return <LoadingText>Loading the policy…</LoadingText>;
  return (
    <>
      {proposalProblem && (
        <div className="mb-6">
          <Alert tone="error" title="The catalog's rule was not added">
            {proposalProblem}
          </Alert>
        </div>
      )}
      <PolicyWorkspace key={server.data.id} server={server.data} state={policy.data} tools={tools.data} proposal={proposal} />
    </>
  );
}
