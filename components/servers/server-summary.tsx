import { RelativeTime } from "@/components/relative-time";
import { LevelCounts } from "@/components/servers/level-counts";
import { TRANSPORT_LABELS } from "@/components/servers/transport-labels";
import { Card } from "@/components/ui/card";
import type { ServerView } from "@/lib/query-hooks/servers";

function transportText(server: ServerView): string {
  if (server.detectedTransport) {
    const label = TRANSPORT_LABELS[server.detectedTransport];
    return server.transport === "auto" ? `${label} (detected)` : label;
  }
  return TRANSPORT_LABELS[server.transport];
}

function softwareText(info: ServerView["serverInfo"]): string {
  if (!info) return "Not reported";
  const name = info.title ?? info.name;
  if (!name) return info.version ? `Version ${info.version}` : "Not reported";
  return info.version ? `${name} ${info.version}` : name;
}

function credentialsText(credentials: ServerView["credentials"]): string {
  if (credentials.type === "bearer") return "Bearer token (set)";
  if (credentials.type === "headers") return `Custom headers: ${credentials.headerNames.join(", ")}`;
  return "None";
}

function every(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? "every day" : `every ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "every hour" : `every ${minutes / 60} hours`;
  return `every ${minutes} minutes`;
}

/** The facts about a server: how Portcullis reaches it, what it runs, and when it is synced. */
export function ServerSummary({ server }: { server: ServerView }) {
  const items: { term: string; value: React.ReactNode }[] = [
    { term: "Transport", value: transportText(server) },
    { term: "Server software", value: softwareText(server.serverInfo) },
    {
      term: "Credentials",
      value: (
        <>
          {credentialsText(server.credentials)}
          {server.credentials.type !== "none" && <span className="block text-xs text-zinc-500 dark:text-zinc-400">Values are stored encrypted and never shown.</span>}
        </>
      ),
    },
    { term: "Last sync", value: server.lastSyncAt ? <RelativeTime value={server.lastSyncAt} /> : "Never" },
    {
      term: "Next sync",
      value: server.nextSyncAt ? (
        <>
          <RelativeTime value={server.nextSyncAt} />
          <span className="block text-xs text-zinc-500 dark:text-zinc-400">Then {every(server.syncIntervalMinutes)}</span>
        </>
      ) : (
        "Not scheduled"
      ),
    },
    { term: "Tools by risk", value: <LevelCounts server={server} /> },
  ];
  return (
    <Card>
      <dl className="grid gap-x-6 gap-y-4 p-5 text-sm sm:grid-cols-2 lg:grid-cols-3">
        {items.map((item) => (
          <div key={item.term} className="min-w-0">
            <dt className="text-zinc-500 dark:text-zinc-400">{item.term}</dt>
            <dd className="mt-1 font-medium break-words">{item.value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
