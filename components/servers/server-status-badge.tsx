import { Badge } from "@/components/ui/badge";
import type { ServerView } from "@/lib/query-hooks/servers";

/** Whether the last sync worked: the server's tools are current, or the last attempt failed. */
export function ServerStatusBadge({ server }: { server: Pick<ServerView, "status" | "lastSyncAt"> }) {
  if (server.status === "error") {
    return (
      <Badge tone="red" dot>
        Sync failed
      </Badge>
    );
  }
  if (!server.lastSyncAt) return <Badge dot>Not synced yet</Badge>;
  return (
    <Badge tone="green" dot>
      Synced
    </Badge>
  );
}
