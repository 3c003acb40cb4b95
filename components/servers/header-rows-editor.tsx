"use client";

import { Button } from "@/components/ui/button";

export interface HeaderRow {
  key: number;
  name: string;
  value: string;
  error?: string;
}

/** Editable name/value rows for the custom headers sent to an upstream server. */
export function HeaderRowsEditor({
  rows,
  onChange,
  error,
  disabled,
}: {
  rows: HeaderRow[];
  onChange: (rows: HeaderRow[]) => void;
  error?: string;
  disabled?: boolean;
}) {
  const update = (key: number, patch: Partial<HeaderRow>) => onChange(rows.map((row) => (row.key === key ? { ...row, ...patch, error: undefined } : row)));
  const nextKey = () => Math.max(0, ...rows.map((row) => row.key)) + 1;
  const inputClass = (invalid: boolean) =>
    `block h-10 w-full rounded-md border bg-white px-3 text-sm shadow-xs placeholder:text-zinc-400 dark:bg-zinc-900 ${
      invalid ? "border-red-500 dark:border-red-500" : "border-zinc-300 dark:border-zinc-700"
    }`;
  return (
    <div className="space-y-2">
      <div className="hidden grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] gap-2 text-xs font-medium text-zinc-600 sm:grid dark:text-zinc-400" aria-hidden="true">
        <span>Header name</span>
        <span>Value</span>
        <span className="w-20" />
      </div>
      <ul className="space-y-2">
        {rows.map((row, index) => (
          <li key={row.key} data-testid="header-row">
            <div className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] items-start gap-2">
              <input
                aria-label={`Header ${index + 1} name`}
                value={row.name}
                placeholder={index === 0 ? "X-Api-Key" : "Header-Name"}
                autoComplete="off"
                spellCheck={false}
                disabled={disabled}
                aria-invalid={row.error ? true : undefined}
                aria-describedby={row.error ? `header-row-${row.key}-error` : undefined}
                onChange={(event) => update(row.key, { name: event.target.value })}
                className={`${inputClass(Boolean(row.error))} font-mono`}
              />
              <input
                aria-label={`Header ${index + 1} value`}
                value={row.value}
                placeholder="Value"
                autoComplete="off"
                spellCheck={false}
                disabled={disabled}
                onChange={(event) => update(row.key, { value: event.target.value })}
                className={`${inputClass(false)} font-mono`}
              />
              <Button
                variant="ghost"
                className="w-20"
                aria-label={`Remove header ${index + 1}`}
                disabled={disabled || rows.length === 1}
                onClick={() => onChange(rows.filter((other) => other.key !== row.key))}
              >
                Remove
              </Button>
            </div>
            {row.error && (
              <p id={`header-row-${row.key}-error`} className="mt-1 text-sm text-red-600 dark:text-red-400">
                {row.error}
              </p>
            )}
          </li>
        ))}
      </ul>
      {error && <p className="text-sm text-red-600 dark:text-red-400">{error}</p>}
      <Button variant="secondary" size="sm" disabled={disabled || rows.length >= 20} onClick={() => onChange([...rows, { key: nextKey(), name: "", value: "" }])}>
        Add header
      </Button>
    </div>
  );
}
