import { Badge } from "@/components/ui/badge";
import type { ToolSummary } from "@/lib/query-hooks/servers";

/** Marks a tool the gateway will not forward calls to: changed and awaiting review, or gone from the server. */
export function ToolStatusBadge({ status }: { status: ToolSummary["status"] }) {
  if (status === "needs_review") {
    return (
      <Badge tone="indigo" title="Its definition changed: the gateway refuses calls until someone accepts it">
        Needs review
      </Badge>
    );
  }
  if (status === "removed") return <Badge title="The server no longer lists this tool">Removed</Badge>;
  return null;
}
