import { Button } from "@/components/ui/button";

export type LiveState = "live" | "paused" | "reconnecting" | "off";

const TEXT: Record<LiveState, { label: string; hint: string; dot: string; tone: string }> = {
  live: {
    label: "Live",
    hint: "New calls appear at the top as they happen.",
    dot: "bg-emerald-500",
    tone: "border-emerald-200 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  },
  paused: {
    label: "Paused",
    hint: "New calls are not added until you resume.",
    dot: "bg-zinc-400",
    tone: "border-zinc-200 bg-zinc-100 text-zinc-700 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  },
  reconnecting: {
    label: "Reconnecting…",
    hint: "New calls could not be fetched; Portcullis keeps trying.",
    dot: "bg-amber-500",
    tone: "border-amber-200 bg-amber-50 text-amber-800 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-300",
  },
  off: {
    label: "Not live",
    hint: "No new calls can appear in this time range: it has ended.",
    dot: "bg-zinc-400",
    tone: "border-zinc-200 bg-zinc-100 text-zinc-700 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  },
};

/** Whether new calls are being added, and (with onToggle) the button that pauses or resumes it. `hints` words the
 * tooltip for another page's items. */
export function LiveStatus({ state, onToggle, hints }: { state: LiveState; onToggle?: () => void; hints?: Partial<Record<LiveState, string>> }) {
  const { label, dot, tone } = TEXT[state];
  const hint = hints?.[state] ?? TEXT[state].hint;
  return (
    <div className="flex items-center gap-2">
      <span role="status" title={hint} data-testid="live-status" data-state={state} className={`inline-flex h-8 items-center gap-2 rounded-full border px-3 text-sm font-medium ${tone}`}>
        <span aria-hidden="true" className="relative flex h-2 w-2">
          {state === "live" && <span className={`absolute inline-flex h-full w-full animate-ping rounded-full opacity-60 motion-reduce:animate-none ${dot}`} />}
          <span className={`relative inline-flex h-2 w-2 rounded-full ${dot}`} />
        </span>
        {label}
        <span className="sr-only">: {hint}</span>
      </span>
      {onToggle && state !== "off" && (
        <Button variant="secondary" size="sm" onClick={onToggle} aria-label={state === "paused" ? "Resume live updates" : "Pause live updates"}>
          {state === "paused" ? "Resume" : "Pause"}
        </Button>
      )}
    </div>
  );
}
