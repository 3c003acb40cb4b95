import type { TextareaHTMLAttributes } from "react";
import { controlBorder, FieldShell, useFieldIds } from "@/components/ui/field-shell";

export interface TextareaFieldProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string;
  hint?: string;
  error?: string;
}

/** A labelled multi-line input with an optional hint and error, wired for screen readers like Field. */
export function TextareaField({ label, hint, error, id, className = "", rows = 3, ...props }: TextareaFieldProps) {
  const ids = useFieldIds(id, hint, error);
  return (
    <FieldShell label={label} hint={hint} error={error} ids={ids} className={className}>
      <textarea
        id={ids.controlId}
        rows={rows}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-xs placeholder:text-zinc-400 disabled:opacity-60 dark:bg-zinc-900 ${controlBorder(error)}`}
        {...props}
      />
    </FieldShell>
  );
}
