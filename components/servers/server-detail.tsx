"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { LoadError } from "@/components/load-error";
import { CatalogMatchSection } from "@/components/servers/catalog-match-section";
import { ConnectSection } from "@/components/servers/connect-section";
import { ServerChanges } from "@/components/servers/server-changes";
import { ServerStatusBadge } from "@/components/servers/server-status-badge";
import { ServerSummary } from "@/components/servers/server-summary";
import { ServerTools } from "@/components/servers/server-tools";
import { SyncResultAlert } from "@/components/servers/sync-result-alert";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingText } from "@/components/ui/loading-text";
import { ApiProblem } from "@/lib/query-hooks/api-fetch";
import { useDeleteServer, useServer, useSyncServer, type SyncResult } from "@/lib/query-hooks/servers";

/** One server's page. `publicOrigin` is PORTCULLIS_PUBLIC_URL, read on the server, for its gateway URL. */
export function ServerDetail({ id, publicOrigin }: { id: string; publicOrigin: string | null }) {
  const router = useRouter();
  const server = useServer(id);
  const sync = useSyncServer(id);
  const remove = useDeleteServer();
  const [syncResult, setSyncResult] = useState<SyncResult | null>(null);
  const [confirming, setConfirming] = useState(false);

  if (server.isPending) return <LoadingText>Loading the server…</LoadingText>;
  if (server.isError) {
    if (server.error instanceof ApiProblem && server.error.problem.status === 404) return <ServerNotFound />;
    return <LoadError title="The server could not be loaded" error={server.error} onRetry={() => void server.refetch()} />;
  }
  const data = server.data;

  return (
    <div className="space-y-8">
      <div>
        <Breadcrumbs items={[{ href: "/servers", label: "Servers" }, { label: data.name }]} />
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="text-2xl font-semibold tracking-tight break-all">{data.name}</h1>
              <ServerStatusBadge server={data} />
            </div>
            <p className="mt-1 font-mono text-sm break-all text-zinc-600 dark:text-zinc-400">{data.url}</p>
          </div>
          <div className="flex gap-2">
            <Link
              href={`/servers/${data.id}/policy`}
              className="inline-flex h-10 items-center justify-center rounded-md bg-indigo-600 px-4 text-sm font-medium text-white hover:bg-indigo-500"
            >
              Edit policy
            </Link>
            <Button
              variant="secondary"
              loading={sync.isPending}
              onClick={() => {
                setSyncResult(null);
                sync.mutate(undefined, { onSuccess: setSyncResult });
              }}
            >
              {sync.isPending ? "Re-syncing…" : "Re-sync now"}
            </Button>
            <Button variant="danger" onClick={() => setConfirming(true)}>
              Remove server
            </Button>
          </div>
        </div>
        <div className="mt-4 space-y-3" aria-live="polite">
          {syncResult && <SyncResultAlert result={syncResult} onDismiss={() => setSyncResult(null)} />}
          {sync.isError && <Alert tone="error" title="The re-sync could not run">{sync.error.message}</Alert>}
          {!syncResult && data.status === "error" && data.lastSyncError && (
            <Alert tone="error" title="The last sync failed">
              <p>{data.lastSyncError.message}</p>
              <p className="mt-1">The tools below are the ones found at the last successful sync. Fix the problem, then re-sync.</p>
            </Alert>
          )}
          {data.needsReviewCount > 0 && (
            <div role="status" className="rounded-md border border-indigo-200 bg-indigo-50 px-4 py-3 text-sm text-indigo-900 dark:border-indigo-900 dark:bg-indigo-950/60 dark:text-indigo-200">
              {data.needsReviewCount === 1 ? "1 tool has" : `${data.needsReviewCount} tools have`} changed since {data.needsReviewCount === 1 ? "it was" : "they were"}{" "}
              accepted. The gateway refuses {data.needsReviewCount === 1 ? "it" : "them"} until you review the change:{" "}
              <a href="#changes" className="font-medium underline">
                see Changes
              </a>
              .
            </div>
          )}
        </div>
      </div>

      <ServerSummary server={data} />
      <ConnectSection server={data} publicOrigin={publicOrigin} />
      <ServerTools serverId={data.id} toolCount={data.toolCount} />
      <CatalogMatchSection serverId={data.id} />
      <ServerChanges serverId={data.id} />

      <ConfirmDialog
        open={confirming}
        title={`Remove ${data.name}?`}
        confirmLabel="Remove server"
        pending={remove.isPending || remove.isSuccess}
        onCancel={() => {
          setConfirming(false);
          remove.reset();
        }}
        onConfirm={() =>
          remove.mutate(data.id, {
            onSuccess: () => router.push("/servers"),
          })
        }
      >
        <p>
          Portcullis forgets this server, its {data.toolCount === 1 ? "tool" : `${data.toolCount} tools`}, their overrides and its change
          history, and agents can no longer reach it through the gateway. The server itself is not touched.
        </p>
        {remove.isError && <Alert tone="error">{remove.error.message}</Alert>}
      </ConfirmDialog>
    </div>
  );
}

function ServerNotFound() {
  return (
    <EmptyState title="This server does not exist">
      <p>It may have been removed, or the link is wrong.</p>
      <p>
        <Link href="/servers" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Back to your servers
        </Link>
      </p>
    </EmptyState>
  );
}
