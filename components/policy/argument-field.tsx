"use client";

import { useId } from "react";
import { simulatorInputClass as inputClass } from "@/components/policy/simulation";
import type { ToolArgument } from "@/components/policy/tool-arguments";

/** One argument's field: a select for booleans and choices, else text (JSON for any other type). */
export function ArgumentField({ field, value, error, onChange }: { field: ToolArgument; value: string; error?: string; onChange: (value: string) => void }) {
  const id = useId();
  const label = (
    <label htmlFor={id} className="flex items-baseline gap-2 text-xs font-medium text-zinc-700 dark:text-zinc-300">
      <span className="font-mono">{field.name}</span>{" "}
      <span className="font-normal text-zinc-500 dark:text-zinc-400">
        {field.kind === "json" ? "JSON" : field.kind === "enum" ? "choice" : field.kind}
        {field.required ? ", required" : ""}
      </span>
    </label>
  );
  let input;
  if (field.kind === "boolean" || field.kind === "enum") {
    const options = field.kind === "boolean" ? [true, false] : field.options;
    input = (
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)} className={inputClass}>
        <option value="">(leave out)</option>
        {options.map((o) => {
          const encoded = field.kind === "boolean" ? String(o) : JSON.stringify(o);
          return (
            <option key={encoded} value={encoded}>
              {typeof o === "string" ? o : JSON.stringify(o)}
            </option>
          );
        })}
      </select>
    );
  } else {
    input = (
      <input
        id={id}
        value={value}
        inputMode={field.kind === "number" || field.kind === "integer" ? "decimal" : undefined}
        spellCheck={false}
        placeholder={field.kind === "json" ? '"text", 3, ["a"]…' : undefined}
        aria-invalid={error ? true : undefined}
        onChange={(event) => onChange(event.target.value)}
        className={`${inputClass} ${field.kind === "json" ? "font-mono" : ""}`}
      />
    );
  }
  return (
    <div className="space-y-1">
      {label}
      {input}
      {field.description && !error && <p className="text-xs text-zinc-500 dark:text-zinc-400">{field.description}</p>}
      {error && <p className="text-xs text-red-600 dark:text-red-400">{error}</p>}
    </div>
  );
}
