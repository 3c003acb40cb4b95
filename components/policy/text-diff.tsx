import { foldUnchanged, lineDiff } from "@/lib/diff/line-diff";

const LINE_STYLES = {
  same: { sign: " ", className: "text-zinc-600 dark:text-zinc-400" },
  added: { sign: "+", className: "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/70 dark:text-emerald-200" },
  removed: { sign: "-", className: "bg-red-50 text-red-900 dark:bg-red-950/70 dark:text-red-200" },
} as const;

function lines(text: string): string[] {
  // A final newline is not a line of its own.
  return text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
}

/** A line diff of two texts, long unchanged runs folded, with a count of the lines added and removed. */
export function TextDiff({ before, after, label }: { before: string; after: string; label: string }) {
  const diff = lineDiff(lines(before), lines(after));
  const added = diff.filter((l) => l.kind === "added").length;
  const removed = diff.filter((l) => l.kind === "removed").length;
  const chunks = foldUnchanged(diff);
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
      <div
        role="region"
        aria-label={label}
        tabIndex={0}
        className="max-h-[32rem] overflow-auto rounded-md border border-zinc-200 bg-white font-mono text-xs leading-5 dark:border-zinc-800 dark:bg-zinc-950"
      >
        <div className="min-w-max py-1">
          {chunks.map((chunk, index) =>
            chunk.kind === "skipped" ? (
              <div key={index} className="bg-zinc-50 px-3 py-0.5 text-zinc-400 italic dark:bg-zinc-900 dark:text-zinc-500">
                ⋯ {chunk.count} unchanged {chunk.count === 1 ? "line" : "lines"}
              </div>
            ) : (
              chunk.lines.map((line, lineIndex) => {
                const style = LINE_STYLES[line.kind];
                return (
                  <div key={`${index}-${lineIndex}`} className={`flex whitespace-pre ${style.className}`} data-diff={line.kind}>
                    <span aria-hidden="true" className="w-6 shrink-0 text-center select-none opacity-70">
                      {style.sign}
                    </span>
                    <span className="sr-only">{line.kind === "same" ? "" : `${line.kind}: `}</span>
                    <span className="pr-3">{line.text}</span>
                  </div>
                );
              })
            ),
          )}
        </div>
      </div>
    </div>
  );
}
