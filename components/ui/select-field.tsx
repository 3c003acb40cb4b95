import type { SelectHTMLAttributes } from "react";
import { controlBorder, FieldShell, useFieldIds } from "@/components/ui/field-shell";

export interface SelectFieldProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  options: readonly { value: string; label: string }[];
  hint?: string;
  error?: string;
  /** Hide the label visually (it stays for screen readers), for compact filter bars. */
  hideLabel?: boolean;
}

/** A labelled native select with an optional hint and error, wired for screen readers like Field. */
export function SelectField({ label, options, hint, error, hideLabel = false, id, className = "", ...props }: SelectFieldProps) {
  const ids = useFieldIds(id, hint, error);
  return (
    <FieldShell label={label} hint={hint} error={error} ids={ids} hideLabel={hideLabel} className={className}>
      <select
        id={ids.controlId}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        className={`block h-10 w-full rounded-md border bg-white px-3 text-sm shadow-xs disabled:opacity-60 dark:bg-zinc-900 ${controlBorder(error)}`}
        {...props}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}
