import { foldUnchanged, jsonDiff } from "@/lib/diff/line-diff";

const LINE_STYLES = {
  same: { sign: " ", className: "text-zinc-600 dark:text-zinc-400" },
  added: { sign: "+", className: "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/70 dark:text-emerald-200" },
  removed: { sign: "-", className: "bg-red-50 text-red-900 dark:bg-red-950/70 dark:text-red-200" },
} as const;

/** The before and after of a tool definition as a line diff of pretty-printed JSON, long unchanged runs folded. */
export function DefinitionDiff({ before, after, label = "Definition changes" }: { before: unknown; after: unknown; label?: string }) {
  const chunks = foldUnchanged(jsonDiff(before, after));
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className="max-h-[28rem] overflow-auto rounded-md border border-zinc-200 bg-white font-mono text-xs leading-5 dark:border-zinc-800 dark:bg-zinc-950"
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
