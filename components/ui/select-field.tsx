import { useId, type SelectHTMLAttributes } from "react";

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
  const generated = useId();
  const selectId = id ?? generated;
  const hintId = `${selectId}-hint`;
  const errorId = `${selectId}-error`;
  const describedBy = [hint && !error ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`space-y-1.5 ${className}`}>
      <label htmlFor={selectId} className={hideLabel ? "sr-only" : "block text-sm font-medium text-zinc-800 dark:text-zinc-200"}>
        {label}
      </label>
      <select
        id={selectId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`block h-10 w-full rounded-md border bg-white px-3 text-sm shadow-xs disabled:opacity-60 dark:bg-zinc-900 ${
          error ? "border-red-500 dark:border-red-500" : "border-zinc-300 dark:border-zinc-700"
        }`}
        {...props}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {hint && !error && (
        <p id={hintId} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
