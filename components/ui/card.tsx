import type { ReactNode } from "react";

/**
 * A bordered panel. It is the containing block of what it holds: screen-reader-only text (absolutely positioned) in a
 * card that scrolls sideways then stays inside it instead of widening the page.
 */
export function Card({ children, className = "" }: { children: ReactNode; className?: string }) {
  return (
    <section className={`relative rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900 ${className}`}>
      {children}
    </section>
  );
}
