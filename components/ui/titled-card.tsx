import { useId, type ReactNode } from "react";
import { Card } from "@/components/ui/card";

/** A card with a heading, an optional line under it and an optional action on the right. */
export function TitledCard({
  title,
  description,
  action,
  children,
  className = "",
}: {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  const headingId = useId();
  return (
    <Card className={className}>
      <div aria-labelledby={headingId} role="group">
        <div className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-200 px-5 py-4 dark:border-zinc-800">
          <div className="min-w-0">
            <h2 id={headingId} className="text-base font-semibold">
              {title}
            </h2>
            {description && <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">{description}</p>}
          </div>
          {action}
        </div>
        <div className="p-5">{children}</div>
      </div>
    </Card>
  );
}
