import { summarizeRule } from "@/components/tools/reclassification-words";
import type { ToolDetail } from "@/lib/query-hooks/tools";

/**
 * Said beside the recommended rule when a reclassification moved it: policies written from the old recommendation
 * are never changed behind anyone's back, so the page tells what moved instead.
 */
export function RecommendationChangeNote({ reclassification }: { reclassification: NonNullable<ToolDetail["reclassification"]> }) {
  const change = reclassification.recommendationChange;
  if (!change) return null;
  const moved = reclassification.before.level !== reclassification.after.level ? "level" : "category";
  return (
    <p
      data-testid="recommendation-changed"
      className="mb-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-100"
    >
      The recommended rule changed with the new {moved}: was {summarizeRule(change.before)}, now {summarizeRule(change.after)}. Your policy was not changed.
    </p>
  );
}
