"use client";

import Link from "next/link";
import { LoadError } from "@/components/load-error";
import { RelativeTime } from "@/components/relative-time";
import { RegisterServerLink } from "@/components/servers/register-server-link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingText } from "@/components/ui/loading-text";
import { Spinner } from "@/components/ui/spinner";
import { usePolicies, type PolicyState } from "@/lib/query-hooks/policies";
import { useServers, type ServerView } from "@/lib/query-hooks/servers";

/** Every server of the workspace with its active policy. */
export function PolicyOverview() {
  const servers = useServers();
  const policies = usePolicies(servers.data?.map((s) => s.id) ?? []);

  if (servers.isPending) return <LoadingText>Loading your servers…</LoadingText>;
  if (servers.isError) return <LoadError title="Your servers could not be loaded" error={servers.error} onRetry={() => void servers.refetch()} />;
  if (servers.data.length === 0) {
    return (
      <EmptyState title="No servers, so no policies yet" icon={<ShieldIcon />}>
        <p>
          A policy belongs to an MCP server. Register a server first: Portcullis lists its tools with their risk, and you then decide here, visually or as
          JSON, which of them your agents may call.
        </p>
        <div className="pt-3">
          <RegisterServerLink>Register a server</RegisterServerLink>
        </div>
      </EmptyState>
    );
  }
  return (
    <Card>
      <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Server policies">
        {servers.data.map((server, index) => {
          const query = policies[index];
          return (
            <PolicyRow
              key={server.id}
              server={server}
              state={query?.data}
              pending={query?.isPending ?? true}
              error={query?.error ?? null}
              onRetry={() => void query?.refetch()}
            />
          );
        })}
      </ul>
    </Card>
  );
}

function PolicyRow({
  server,
  state,
  pending,
  error,
  onRetry,
}: {
  server: ServerView;
  state: PolicyState | undefined;
  pending: boolean;
  error: Error | null;
  onRetry: () => void;
}) {
  const href = `/servers/${server.id}/policy`;
  const active = state?.active ?? null;
  const document = active?.document as { default?: unknown; tools?: Record<string, unknown> } | undefined;
  const rules = document?.tools ? Object.keys(document.tools).length : 0;
  const warnings = state?.warnings.length ?? 0;
  return (
    <li data-testid="policy-row" className="grid gap-3 px-5 py-4 hover:bg-zinc-50 sm:grid-cols-[minmax(0,1fr)_auto] sm:items-center dark:hover:bg-zinc-800/40">
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-2">
          <Link href={href} className="font-semibold text-zinc-900 hover:text-indigo-700 hover:underline dark:text-zinc-100 dark:hover:text-indigo-300">
            {server.name}
          </Link>
          {active && <Badge tone="indigo">Version {active.version}</Badge>}
          {active && document && (
            <span className="text-xs text-zinc-500 dark:text-zinc-400">
              Default {document.default === "allow" ? "allow" : "deny"} · {rules === 1 ? "1 rule" : `${rules} rules`}
            </span>
          )}
          {warnings > 0 && (
            <Badge tone="amber" title="Parts of the active policy that have no effect">
              {warnings === 1 ? "1 warning" : `${warnings} warnings`}
            </Badge>
          )}
        </div>
        <p className="mt-0.5 truncate font-mono text-xs text-zinc-500 dark:text-zinc-400" title={server.url}>
          {server.url}
        </p>
        <div className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
          {pending ? (
            <span className="inline-flex items-center gap-2 text-zinc-500 dark:text-zinc-400">
              <Spinner className="h-3.5 w-3.5" /> Loading its policy…
            </span>
          ) : error ? (
            <span className="text-red-700 dark:text-red-400">
              Its policy could not be loaded: {error.message}{" "}
              <button type="button" onClick={onRetry} className="font-medium underline">
                Try again
              </button>
            </span>
          ) : active ? (
            <>
              “{active.message}” <span className="text-zinc-500 dark:text-zinc-400">by {active.createdBy}, </span>
              <RelativeTime value={active.createdAt} className="text-zinc-500 dark:text-zinc-400" />
            </>
          ) : (
            <span className="text-amber-800 dark:text-amber-300">No policy saved yet.</span>
          )}
        </div>
      </div>
      <Link
        href={href}
        aria-label={`${active ? "Edit the policy" : "Write a policy"} for ${server.name}`}
        className={`inline-flex h-9 items-center justify-center rounded-md px-3 text-sm font-medium ${
          active
            ? "border border-zinc-300 bg-white text-zinc-900 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800"
            : "bg-indigo-600 text-white hover:bg-indigo-500"
        }`}
      >
        {active ? "Edit policy" : "Write a policy"}
      </Link>
    </li>
  );
}

function ShieldIcon() {
  return (
    <svg viewBox="0 0 24 24" className="h-10 w-10" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M12 3 4.5 6v5.5c0 4.6 3.2 8.3 7.5 9.5 4.3-1.2 7.5-4.9 7.5-9.5V6L12 3Z" strokeLinejoin="round" />
      <path d="m9 12 2 2 4-4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
