"use client";

import { useId, useState, type FormEvent } from "react";
import { ArgumentField } from "@/components/policy/argument-field";
import type { RunCall } from "@/components/policy/simulation";
import { argsFromForm, argsFromJson, type ToolArgument } from "@/components/policy/tool-arguments";
import { Button } from "@/components/ui/button";
import type { JsonValue } from "@/lib/policy";

/** A simulated call's arguments, as a form (one field per argument) or as one JSON object. */
export function ArgumentsForm({ fields, onRun, pending }: { fields: readonly ToolArgument[]; onRun: RunCall; pending: boolean }) {
  const [mode, setMode] = useState<"form" | "json">(fields.length > 0 ? "form" : "json");
  const [values, setValues] = useState<Record<string, string>>({});
  const [json, setJson] = useState("{}");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [jsonError, setJsonError] = useState<string | null>(null);
  const jsonId = useId();

  // The policy decides on its own; a call without an argument the tool requires would still be refused by the server.
  const missing = (args: Record<string, JsonValue>) => fields.filter((f) => f.required && !(f.name in args)).map((f) => f.name);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (mode === "json") {
      const parsed = argsFromJson(json);
      if (!parsed.ok) return setJsonError(parsed.error);
      setJsonError(null);
      return onRun(parsed.args, missing(parsed.args));
    }
    const parsed = argsFromForm(fields, values);
    if (!parsed.ok) return setErrors(parsed.errors);
    setErrors({});
    onRun(parsed.args, missing(parsed.args));
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-sm font-medium">Arguments</h3>
        {fields.length > 0 && (
          <div role="group" aria-label="How to enter the arguments" className="inline-flex rounded-md border border-zinc-300 p-0.5 text-xs dark:border-zinc-700">
            {(["form", "json"] as const).map((m) => (
              <button
                key={m}
                type="button"
                aria-pressed={mode === m}
                onClick={() => {
                  if (m === "json" && mode === "form") {
                    const parsed = argsFromForm(fields, values);
                    if (parsed.ok) setJson(JSON.stringify(parsed.args, null, 2));
                  }
                  setMode(m);
                }}
                className={`rounded px-2 py-1 font-medium ${mode === m ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-600 dark:text-zinc-400"}`}
              >
                {m === "form" ? "Form" : "JSON"}
              </button>
            ))}
          </div>
        )}
      </div>
      {mode === "form" ? (
        <div className="space-y-3">
          {fields.map((field) => (
            <ArgumentField
              key={field.name}
              field={field}
              value={values[field.name] ?? ""}
              error={errors[field.name]}
              onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
            />
          ))}
          <p className="text-xs text-zinc-500 dark:text-zinc-400">Empty fields are left out of the call.</p>
        </div>
      ) : (
        <div className="space-y-1.5">
          <label htmlFor={jsonId} className="block text-xs font-medium text-zinc-700 dark:text-zinc-300">
            Arguments as JSON
          </label>
          {fields.length === 0 && <p className="text-xs text-zinc-500 dark:text-zinc-400">No argument list is known for this tool: write them as one JSON object.</p>}
          <textarea
            id={jsonId}
            value={json}
            rows={6}
            spellCheck={false}
            aria-invalid={jsonError ? true : undefined}
            onChange={(event) => setJson(event.target.value)}
            className="block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-2 font-mono text-xs shadow-xs dark:border-zinc-700 dark:bg-zinc-900"
          />
          {jsonError && <p className="text-sm text-red-600 dark:text-red-400">{jsonError}</p>}
        </div>
      )}
      <Button type="submit" loading={pending} className="w-full">
        Simulate the call
      </Button>
    </form>
  );
}
