"use client";

import Link from "next/link";
import { LoadError } from "@/components/load-error";
import { RelativeTime } from "@/components/relative-time";
import { LevelCounts } from "@/components/servers/level-counts";
import { RegisterServerLink } from "@/components/servers/register-server-link";
import { ServerStatusBadge } from "@/components/servers/server-status-badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingText } from "@/components/ui/loading-text";
import { useServers, type ServerView } from "@/lib/query-hooks/servers";

export function ServerList() {
  const servers = useServers();

  if (servers.isPending) return <LoadingText>Loading your servers…</LoadingText>;
  if (servers.isError) return <LoadError title="Your servers could not be loaded" error={servers.error} onRetry={() => void servers.refetch()} />;
  if (servers.data.length === 0) {
    return (
      <EmptyState title="No MCP servers yet" icon={<ServerIcon />}>
        <p>
          Register a server by its URL. Portcullis connects to it, lists its tools, and gives each one a risk level
          (Low, Medium, High or Critical) with the reasons behind it, so you know which ones need a policy.
        </p>
        <div className="pt-3">
          <RegisterServerLink>Register your first server</RegisterServerLink>
        </div>
      </EmptyState>
    );
  }
  return (
    <Card>
      <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Servers">
        {servers.data.map((server) => (
          <ServerRow key={server.id} server={server} />
        ))}
      </ul>
    </Card>
  );
}

function ServerRow({ server }: { server: ServerView }) {
  return (
    <li data-testid="server-row" className="grid gap-3 px-5 py-4 hover:bg-zinc-50 sm:grid-cols-[minmax(0,1fr)_auto] dark:hover:bg-zinc-800/40">
      <div className="min-w-0">
        <Link href={`/servers/${server.id}`} className="font-semibold text-zinc-900 hover:text-indigo-700 hover:underline dark:text-zinc-100 dark:hover:text-indigo-300">
          {server.name}
        </Link>
        <p className="mt-0.5 truncate font-mono text-xs text-zinc-500 dark:text-zinc-400" title={server.url}>
          {server.url}
        </p>
        <div className="mt-2">
          <LevelCounts server={server} />
        </div>
      </div>
      <div className="flex flex-col gap-1 text-sm sm:items-end">
        <ServerStatusBadge server={server} />
        {server.lastSyncAt && (
          <span className="text-xs text-zinc-500 dark:text-zinc-400">
            {server.status === "error" ? "Last good sync " : "Synced "}
            <RelativeTime value={server.lastSyncAt} />
          </span>
        )}
      </div>
      {server.status === "error" && server.lastSyncError && (
        <p className="text-sm text-red-700 sm:col-span-2 dark:text-red-400">{server.lastSyncError.message}</p>
      )}
    </li>
  );
}

function ServerIcon() {
  return (
    <svg viewBox="0 0 24 24" className="h-10 w-10" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <rect x="3" y="4" width="18" height="7" rx="2" />
      <rect x="3" y="13" width="18" height="7" rx="2" />
      <path d="M7 7.5h.01M7 16.5h.01M11 7.5h6M11 16.5h6" strokeLinecap="round" />
    </svg>
  );
}
