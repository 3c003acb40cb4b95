import type { InputHTMLAttributes } from "react";
import { controlBorder, FieldShell, useFieldIds } from "@/components/ui/field-shell";

export interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  hint?: string;
  error?: string;
}

/** A labelled input with an optional hint and error, wired for screen readers. */
export function Field({ label, hint, error, id, className = "", ...props }: FieldProps) {
  const ids = useFieldIds(id, hint, error);
  return (
    <FieldShell label={label} hint={hint} error={error} ids={ids} className={className}>
      <input
        id={ids.controlId}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        className={`block h-10 w-full rounded-md border bg-white px-3 text-sm shadow-xs placeholder:text-zinc-400 dark:bg-zinc-900 ${controlBorder(error)}`}
        {...props}
      />
    </FieldShell>
  );
}
