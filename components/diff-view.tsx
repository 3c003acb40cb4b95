import { foldUnchanged, type DiffLine } from "@/lib/diff/line-diff";

const LINE_STYLES = {
  same: { sign: " ", className: "text-zinc-600 dark:text-zinc-400" },
  added: { sign: "+", className: "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/70 dark:text-emerald-200" },
  removed: { sign: "-", className: "bg-red-50 text-red-900 dark:bg-red-950/70 dark:text-red-200" },
} as const;

/** A scrollable line diff with long unchanged runs folded; used for tool definitions and policy versions. */
export function DiffView({ diff, label, maxHeightClass = "max-h-[28rem]" }: { diff: DiffLine[]; label: string; maxHeightClass?: string }) {
  const chunks = foldUnchanged(diff);
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className={`${maxHeightClass} overflow-auto rounded-md border border-zinc-200 bg-white font-mono text-xs leading-5 dark:border-zinc-800 dark:bg-zinc-950`}
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
  );
}
