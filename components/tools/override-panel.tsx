"use client";

import { useState, type FormEvent } from "react";
import { RelativeTime } from "@/components/relative-time";
import { RISK_CATEGORY_LABELS, RISK_LEVEL_LABELS } from "@/lib/risk/labels";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/select-field";
import { TextareaField } from "@/components/ui/textarea-field";
import { ApiProblem } from "@/lib/query-hooks/api-fetch";
import { useOverrideTool, type ToolDetail } from "@/lib/query-hooks/tools";
import { RISK_CATEGORIES, RISK_LEVELS, type RiskCategory, type RiskLevel } from "@/lib/risk/types";

interface Errors {
  level?: string;
  category?: string;
  note?: string;
  form?: string;
}

/** Shows whether a person overrode the classifier, and lets one set or clear an override with a note. */
export function OverridePanel({ tool }: { tool: ToolDetail }) {
  const save = useOverrideTool(tool.id);
  const [level, setLevel] = useState<RiskLevel | "">(tool.override?.level ?? "");
  const [category, setCategory] = useState<RiskCategory | "">(tool.override?.category ?? "");
  const [note, setNote] = useState(tool.override?.note ?? "");
  const [errors, setErrors] = useState<Errors>({});
  const [saved, setSaved] = useState<string | null>(null);

  const levelOptions = [
    { value: "", label: `As classified (${RISK_LEVEL_LABELS[tool.classifiedLevel]})` },
    ...RISK_LEVELS.map((value) => ({ value, label: RISK_LEVEL_LABELS[value] })),
  ];
  const categoryOptions = [
    { value: "", label: `As classified (${RISK_CATEGORY_LABELS[tool.classifiedCategory]})` },
    ...RISK_CATEGORIES.map((value) => ({ value, label: RISK_CATEGORY_LABELS[value] })),
  ];

  function showProblem(error: Error) {
    if (!(error instanceof ApiProblem)) return setErrors({ form: error.message });
    const next: Errors = {
      level: error.fieldError("override.level"),
      category: error.fieldError("override.category"),
      note: error.fieldError("override.note"),
    };
    const general = error.fieldError("override");
    if (general) next.form = general;
    if (!next.level && !next.category && !next.note && !next.form) next.form = error.message;
    setErrors(next);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    const local: Errors = {};
    if (!level && !category) local.form = "Choose a level, a category or both.";
    if (!note.trim()) local.note = "Say why you are overriding the classification.";
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    save.mutate(
      { level: level || null, category: category || null, note: note.trim() },
      { onSuccess: () => setSaved("Override saved. Policies and the tools table now use it."), onError: showProblem },
    );
  }

  function clear() {
    setSaved(null);
    setErrors({});
    save.mutate(null, {
      onSuccess: () => {
        setLevel("");
        setCategory("");
        setNote("");
        setSaved("Override cleared: the classifier's result applies again.");
      },
      onError: showProblem,
    });
  }

  const override = tool.override;
  return (
    <div className="space-y-4">
      {override ? (
        <div className="rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2.5 text-sm text-indigo-950 dark:border-indigo-900 dark:bg-indigo-950/60 dark:text-indigo-100">
          <p>
            <span className="font-medium">Overridden by {override.by}</span>
            <span className="text-indigo-800 dark:text-indigo-300">
              {" "}
              (<RelativeTime value={override.at} />)
            </span>
            : {override.note}
          </p>
          <p className="mt-1 text-xs text-indigo-800 dark:text-indigo-300">
            The classifier said {RISK_LEVEL_LABELS[tool.classifiedLevel]} · {RISK_CATEGORY_LABELS[tool.classifiedCategory]}.
          </p>
        </div>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          This is the classifier&rsquo;s result. If you know better, override the level or the category and say why: the note is shown to everyone in the workspace.
        </p>
      )}
      <form onSubmit={onSubmit} noValidate aria-label="Override the classification" className="space-y-3">
        {errors.form && <Alert tone="error">{errors.form}</Alert>}
        {saved && <Alert tone="success">{saved}</Alert>}
        <fieldset disabled={save.isPending} className="space-y-3">
          <SelectField label="Level" value={level} options={levelOptions} error={errors.level} onChange={(event) => setLevel(event.target.value as RiskLevel | "")} />
          <SelectField
            label="Category"
            value={category}
            options={categoryOptions}
            error={errors.category}
            onChange={(event) => setCategory(event.target.value as RiskCategory | "")}
          />
          <TextareaField
            label="Note"
            value={note}
            maxLength={500}
            placeholder="e.g. Only reaches our staging cluster"
            error={errors.note}
            onChange={(event) => setNote(event.target.value)}
          />
        </fieldset>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" loading={save.isPending && save.variables !== null}>
            {override ? "Update override" : "Save override"}
          </Button>
          {override && (
            <Button variant="secondary" onClick={clear} loading={save.isPending && save.variables === null} disabled={save.isPending}>
              Clear override
            </Button>
          )}
        </div>
      </form>
    </div>
  );
}
