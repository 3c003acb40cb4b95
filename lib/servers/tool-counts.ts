import { getPool } from "@/lib/db/client";
import { emptyLevelCounts, type LevelCounts } from "@/lib/servers/server-view";
import type { RiskLevel } from "@/lib/risk/types";

/** Tool counts by effective risk level (override first), and how many need review, for each server. */
export async function toolCounts(serverIds: string[]): Promise<Map<string, { byLevel: LevelCounts; needsReview: number }>> {
  const result = new Map(serverIds.map((id) => [id, { byLevel: emptyLevelCounts(), needsReview: 0 }]));
  if (serverIds.length === 0) return result;
  const { rows } = await getPool().query<{ server_id: string; level: RiskLevel; count: string; needs_review: string }>(
    `SELECT server_id, coalesce(override_level, level) AS level, count(*) AS count,
            count(*) FILTER (WHERE status = 'needs_review') AS needs_review
       FROM tools WHERE server_id = ANY($1::uuid[]) AND status <> 'removed'
      GROUP BY server_id, coalesce(override_level, level)`,
    [serverIds],
  );
  for (const row of rows) {
    const entry = result.get(row.server_id);
    if (!entry) continue;
    entry.byLevel[row.level] = Number(row.count);
    entry.needsReview += Number(row.needs_review);
  }
  return result;
}
