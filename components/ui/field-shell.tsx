import { useId, type ReactNode } from "react";

/** Ids that tie a control to its hint and error, so screen readers read them with it. */
export function useFieldIds(id: string | undefined, hint?: string, error?: string) {
  const generated = useId();
  const controlId = id ?? generated;
  const hintId = `${controlId}-hint`;
  const errorId = `${controlId}-error`;
  const describedBy = [hint && !error ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return { controlId, hintId, errorId, describedBy };
}

/** The label, hint and error around one form control; the control itself is the child. */
export function FieldShell({
  label,
  hint,
  error,
  ids,
  hideLabel = false,
  className = "",
  children,
}: {
  label: string;
  hint?: string;
  error?: string;
  ids: ReturnType<typeof useFieldIds>;
  hideLabel?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={`space-y-1.5 ${className}`}>
      <label htmlFor={ids.controlId} className={hideLabel ? "sr-only" : "block text-sm font-medium text-zinc-800 dark:text-zinc-200"}>
        {label}
      </label>
      {children}
      {hint && !error && (
        <p id={ids.hintId} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      )}
      {error && (
        <p id={ids.errorId} className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}

export function controlBorder(error?: string): string {
  return error ? "border-red-500 dark:border-red-500" : "border-zinc-300 dark:border-zinc-700";
}
