import { DiffView } from "@/components/diff-view";
import { lineDiff } from "@/lib/diff/line-diff";

function lines(text: string): string[] {
  // A final newline is not a line of its own.
  return text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
}

/** A line diff of two texts, long unchanged runs folded, with a count of the lines added and removed. */
export function TextDiff({ before, after, label }: { before: string; after: string; label: string }) {
  const diff = lineDiff(lines(before), lines(after));
  const added = diff.filter((l) => l.kind === "added").length;
  const removed = diff.filter((l) => l.kind === "removed").length;
  return (
    <div className="space-y-2">
      <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="diff-summary">
        {added === 0 && removed === 0 ? (
          "No differences: the two texts are the same."
        ) : (
          <>
            <span className="font-medium text-emerald-700 dark:text-emerald-400">+{added}</span>{" "}
            <span className="font-medium text-red-700 dark:text-red-400">−{removed}</span> {added + removed === 1 ? "line" : "lines"} changed
          </>
        )}
      </p>
      <DiffView diff={diff} label={label} maxHeightClass="max-h-[32rem]" />
    </div>
  );
}
