import { RiskBadge } from "@/components/risk-badge";
import { Badge } from "@/components/ui/badge";
import type { ServerView } from "@/lib/query-hooks/servers";
import { RISK_LEVELS } from "@/lib/risk/types";

/** How many of a server's tools are at each risk level, highest first, skipping levels with none. */
export function LevelCounts({ server }: { server: Pick<ServerView, "toolCount" | "toolCountsByLevel" | "needsReviewCount"> }) {
  const levels = [...RISK_LEVELS].reverse().filter((level) => server.toolCountsByLevel[level] > 0);
  return (
    <div className="flex flex-wrap items-center gap-1.5">
      {server.toolCount === 0 ? (
        <span className="text-sm text-zinc-500 dark:text-zinc-400">No tools</span>
      ) : (
        levels.map((level) => <RiskBadge key={level} level={level} count={server.toolCountsByLevel[level]} />)
      )}
      {server.needsReviewCount > 0 && (
        <Badge tone="indigo" title="Changed tools the gateway refuses until someone accepts their new definition">
          {server.needsReviewCount} needs review
        </Badge>
      )}
    </div>
  );
}
