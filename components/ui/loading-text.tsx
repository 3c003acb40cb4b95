import type { ReactNode } from "react";
import { Spinner } from "@/components/ui/spinner";

/** A spinner and a sentence saying what is loading, announced politely to screen readers. */
export function LoadingText({ children, className = "" }: { children: ReactNode; className?: string }) {
  return (
    <p role="status" className={`flex items-center gap-2 text-sm text-zinc-500 dark:text-zinc-400 ${className}`}>
      <Spinner className="h-4 w-4" />
      {children}
    </p>
  );
}
