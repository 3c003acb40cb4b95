import { ANNOTATION_HINTS } from "@/components/tools/annotation-labels";

/** Every behaviour hint, with what the server declared for it (or that it said nothing). */
export function ToolAnnotations({ annotations }: { annotations: Record<string, unknown> | null }) {
  return (
    <div className="space-y-3">
      <dl className="grid gap-3 text-sm sm:grid-cols-2">
        {ANNOTATION_HINTS.map((hint) => {
          const value = annotations?.[hint.key];
          const text = value === true ? "Yes" : value === false ? "No" : "Not declared";
          return (
            <div key={hint.key} className="flex items-baseline justify-between gap-3 rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800">
              <dt className="min-w-0">
                <span className="font-medium">{hint.label}</span>
                <span className="block text-xs text-zinc-500 dark:text-zinc-400">{hint.meaning}</span>
              </dt>
              <dd className={`shrink-0 text-right ${typeof value === "boolean" ? "font-medium" : "text-xs text-zinc-500 dark:text-zinc-400"}`}>{text}</dd>
            </div>
          );
        })}
      </dl>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Annotations are the server&rsquo;s own claims about its tool. Portcullis lets them raise a tool&rsquo;s risk, never lower it.
      </p>
    </div>
  );
}
