"use client";

import { useId } from "react";
import { DraftInput } from "@/components/policy/draft-input";
import { IssueText } from "@/components/policy/issue-text";
import type { EditorIssue } from "@/components/policy/policy-text";
import { Button } from "@/components/ui/button";
import { COUNTER_NAME, LIMIT_SCOPES, LIMIT_WINDOWS, pointerChild, type PolicyLimit } from "@/lib/policy";

const WINDOW_LABELS = { second: "Second", minute: "Minute", hour: "Hour", day: "Day" } as const;
const SCOPE_LABELS = { grant: "Each key", server: "Whole server" } as const;

const selectClass =
  "block h-9 w-full rounded-md border bg-white px-2 text-sm shadow-xs dark:bg-zinc-900 border-zinc-300 dark:border-zinc-700 aria-invalid:border-red-500";

/** The rate limits of one rule: a row per limit (counter, window, max, scope), added and removed in place. */
export function LimitEditor({
  pointer,
  limits,
  issues,
  counterUsers,
  pattern,
  onChange,
  onAdd,
}: {
  /** The JSON Pointer of the rule's `limits`, to find each field's issues. */
  pointer: string;
  limits: readonly PolicyLimit[];
  issues: readonly EditorIssue[];
  counterUsers: ReadonlyMap<string, readonly string[]>;
  pattern: string;
  onChange: (index: number, limit: PolicyLimit | null) => void;
  onAdd: () => void;
}) {
  const issueAt = (path: string) => issues.find((i) => i.path === path && i.kind !== "warning")?.message;
  const listWarnings = issues.filter((i) => i.path === pointer);
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Rate limits</legend>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        At most <em>max</em> calls per window (fixed UTC windows). Rules that name the same counter share its budget.
      </p>
      {listWarnings.map((w, i) => (
        <p key={i} className="text-xs text-amber-700 dark:text-amber-400">
          <IssueText text={w.message} />
        </p>
      ))}
      {limits.length > 0 && (
        <ul className="space-y-2" aria-label={`Limits of the rule for ${pattern}`}>
          {limits.map((limit, index) => {
            const at = pointerChild(pointer, index);
            const n = index + 1;
            const shared = (counterUsers.get(limit.counter) ?? []).filter((p) => p !== pattern);
            return (
              <li key={index} data-testid="limit-row" className="rounded-md border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
                <div className="grid items-start gap-3 sm:grid-cols-[minmax(0,2.2fr)_minmax(0,1fr)_minmax(0,0.7fr)_minmax(0,1fr)_auto]">
                  <DraftInput
                    label="Counter"
                    labelSuffix={` of limit ${n}`}
                    value={limit.counter}
                    spellCheck={false}
                    inputClassName="font-mono"
                    issue={issueAt(pointerChild(at, "counter"))}
                    onCommit={(text) => {
                      const counter = text.trim();
                      if (!COUNTER_NAME.test(counter)) return "Use 1 to 64 letters, digits, _, - or ., starting with a letter or digit.";
                      onChange(index, { ...limit, counter });
                      return null;
                    }}
                  />
                  <LimitSelect
                    label="Window"
                    labelSuffix={` of limit ${n}`}
                    value={limit.window}
                    options={LIMIT_WINDOWS.map((w) => ({ value: w, label: WINDOW_LABELS[w] }))}
                    issue={issueAt(pointerChild(at, "window"))}
                    onChange={(window) => onChange(index, { ...limit, window: window as PolicyLimit["window"] })}
                  />
                  <DraftInput
                    label="Max calls"
                    labelSuffix={` of limit ${n}`}
                    value={String(limit.max)}
                    inputMode="numeric"
                    issue={issueAt(pointerChild(at, "max"))}
                    onCommit={(text) => {
                      const max = Number(text.trim());
                      if (text.trim() === "" || !Number.isSafeInteger(max) || max < 1) return "Enter a whole number, 1 or more.";
                      onChange(index, { ...limit, max });
                      return null;
                    }}
                  />
                  <LimitSelect
                    label="Counted per"
                    labelSuffix={` of limit ${n}`}
                    value={limit.scope}
                    options={LIMIT_SCOPES.map((v) => ({ value: v, label: SCOPE_LABELS[v] }))}
                    issue={issueAt(pointerChild(at, "scope"))}
                    onChange={(scope) => onChange(index, { ...limit, scope: scope as PolicyLimit["scope"] })}
                  />
                  <div className="sm:pt-5">
                    <Button variant="ghost" size="sm" onClick={() => onChange(index, null)} aria-label={`Remove limit ${n} (${limit.counter})`}>
                      Remove
                    </Button>
                  </div>
                </div>
                {shared.length > 0 && (
                  <p className="mt-2 text-xs text-indigo-700 dark:text-indigo-300">
                    Shared budget: the rule{shared.length === 1 ? "" : "s"} for {shared.map((p) => `“${p}”`).join(", ")} also count{shared.length === 1 ? "s" : ""} on{" "}
                    <code className="font-mono">{limit.counter}</code>.
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <Button variant="secondary" size="sm" onClick={onAdd}>
        Add a limit
      </Button>
    </fieldset>
  );
}

function LimitSelect({
  label,
  labelSuffix,
  value,
  options,
  issue,
  onChange,
}: {
  label: string;
  labelSuffix: string;
  value: string;
  options: readonly { value: string; label: string }[];
  issue: string | undefined;
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label className="block text-xs font-medium text-zinc-700 dark:text-zinc-300" htmlFor={id}>
        {label}
        <span className="sr-only">{labelSuffix}</span>
      </label>
      <select id={id} value={value} aria-invalid={issue ? true : undefined} onChange={(event) => onChange(event.target.value)} className={selectClass}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {issue && (
        <p className="text-xs text-red-600 dark:text-red-400">
          <IssueText text={issue} />
        </p>
      )}
    </div>
  );
}
