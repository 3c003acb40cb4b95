"use client";

import { useId, useMemo, useState, type FormEvent } from "react";
import {
  applyRecommendations,
  builderRows,
  compileForDisplay,
  counterUsers as findCounterUsers,
  setDefault,
  setRule,
  type BuilderRow,
} from "@/components/policy/builder-document";
import { IssueText } from "@/components/policy/issue-text";
import type { EditorIssue } from "@/components/policy/policy-text";
import { RuleRow, type DocUpdate } from "@/components/policy/rule-row";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { DefaultAction, PolicyDocument, PolicyRule } from "@/lib/policy";
import type { ToolSummary } from "@/lib/query-hooks/servers";
import { recommendRule } from "@/lib/risk";

const DEFAULT_OPTIONS: { value: DefaultAction; label: string; description: string }[] = [
  { value: "deny", label: "Deny", description: "Refuse every tool no rule names. The safe choice: new tools stay off until you allow them." },
  { value: "allow", label: "Allow", description: "Let every tool no rule names through. Tools the server adds later are allowed too." },
];

/**
 * The visual builder: the default action, a row per tool of the server and a row per other rule. It edits the
 * document it is given and hands back a new one; whatever it has no control for is carried over unchanged.
 */
export function PolicyBuilder({
  doc,
  tools,
  serverName,
  issues,
  onChange,
  onShowIssue,
}: {
  doc: PolicyDocument;
  tools: readonly ToolSummary[];
  serverName: string;
  issues: readonly EditorIssue[];
  onChange: (doc: PolicyDocument) => void;
  onShowIssue: (issue: EditorIssue) => void;
}) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [confirmAll, setConfirmAll] = useState(false);
  // Lives as long as the builder is open: rules set to "No rule" come back whole if an action is chosen again.
  const [stash] = useState(() => new Map<string, PolicyRule>());
  const rows = useMemo(() => builderRows(doc, tools), [doc, tools]);
  const compiled = useMemo(() => compileForDisplay(doc), [doc]);
  const counterUsers = useMemo(() => findCounterUsers(doc), [doc]);
  const toolNames = useMemo(() => tools.map((t) => t.name), [tools]);
  const errors = issues.filter((i) => i.kind !== "warning");
  const toolRows = rows.filter((r) => r.kind === "tool");
  const otherRows = rows.filter((r) => r.kind !== "tool");
  const update: DocUpdate = (change) => onChange(change(doc));
  const toggle = (pattern: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(pattern)) next.delete(pattern);
      else next.add(pattern);
      return next;
    });
  const tests = doc.tests?.length ?? 0;

  const renderRow = (row: BuilderRow<ToolSummary>) => (
    <RuleRow
      key={`${row.kind}:${row.pattern}`}
      row={row}
      doc={doc}
      compiled={compiled}
      issues={issues}
      counterUsers={counterUsers}
      toolNames={toolNames}
      expanded={expanded.has(row.pattern)}
      onToggle={() => toggle(row.pattern)}
      onDocChange={update}
      stash={stash}
    />
  );

  return (
    <div className="space-y-6">
      {errors.length > 0 && (
        <Alert tone="error" title={errors.length === 1 ? "The policy has 1 problem to fix before it can be saved" : `The policy has ${errors.length} problems to fix before it can be saved`}>
          <ul className="mt-1 space-y-1">
            {errors.map((issue, index) => (
              <li key={index}>
                <IssueText text={issue.message} />{" "}
                <button type="button" className="font-medium underline" onClick={() => onShowIssue(issue)}>
                  Show in JSON
                </button>
              </li>
            ))}
          </ul>
        </Alert>
      )}

      <Card className="p-5">
        <fieldset>
          <legend className="text-base font-semibold">Tools without a rule</legend>
          <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">The default decides every call that no rule below matches.</p>
          <div className="mt-3 grid gap-3 sm:grid-cols-2">
            {DEFAULT_OPTIONS.map((option) => (
              <label
                key={option.value}
                className={`flex cursor-pointer gap-3 rounded-md border p-3 text-sm has-focus-visible:ring-2 has-focus-visible:ring-indigo-500 ${
                  doc.default === option.value
                    ? "border-indigo-500 bg-indigo-50/60 dark:border-indigo-400 dark:bg-indigo-950/40"
                    : "border-zinc-300 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800/50"
                }`}
              >
                <input
                  type="radio"
                  name="policy-default"
                  value={option.value}
                  checked={doc.default === option.value}
                  onChange={() => update((d) => setDefault(d, option.value))}
                  className="mt-0.5 accent-indigo-600"
                />
                <span>
                  <span className="block font-medium">{option.label}</span>
                  <span className="block text-zinc-600 dark:text-zinc-400">{option.description}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      </Card>

      <section aria-labelledby="builder-tools-heading" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <h3 id="builder-tools-heading" className="text-base font-semibold">
              Tools of {serverName}
            </h3>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {tools.length === 1 ? "1 tool" : `${tools.length} tools`}, riskiest first. Open a row for its reason, limits and argument constraints.
            </p>
          </div>
          {tools.length > 0 && (
            <Button variant="secondary" onClick={() => setConfirmAll(true)}>
              Apply recommended to all
            </Button>
          )}
        </div>
        {tools.length === 0 ? (
          <Card className="px-5 py-8 text-center text-sm text-zinc-600 dark:text-zinc-400">
            This server lists no tools yet. Rules for patterns below still apply to any tool it adds later.
          </Card>
        ) : (
          <Card className="overflow-hidden">
            <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Rules for the server's tools">
              {toolRows.map(renderRow)}
            </ul>
          </Card>
        )}
      </section>

      <section aria-labelledby="builder-patterns-heading" className="space-y-3">
        <div>
          <h3 id="builder-patterns-heading" className="text-base font-semibold">
            Patterns and other names
          </h3>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            A glob such as <code className="font-mono">get_*</code> covers every tool it matches that has no rule of its own; the most specific rule wins.
          </p>
        </div>
        {otherRows.length > 0 && (
          <Card className="overflow-hidden">
            <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Rules for patterns and other names">
              {otherRows.map(renderRow)}
            </ul>
          </Card>
        )}
        <AddPatternForm
          doc={doc}
          tools={tools}
          onAdd={(pattern) => {
            update((d) => setRule(d, pattern, { action: "allow" }));
            setExpanded((current) => new Set(current).add(pattern));
          }}
          onExisting={(pattern) => setExpanded((current) => new Set(current).add(pattern))}
        />
      </section>

      {tests > 0 && (
        <Alert title={tests === 1 ? "This policy carries 1 example call" : `This policy carries ${tests} example calls`}>
          Its <code className="font-mono">tests</code> are kept as they are while you use the builder; edit them in the JSON view. A save
          whose examples fail is refused.
        </Alert>
      )}

      <ConfirmDialog
        open={confirmAll}
        tone="primary"
        title={`Apply the recommended rule to all ${tools.length} tools?`}
        confirmLabel="Apply to all"
        onCancel={() => setConfirmAll(false)}
        onConfirm={() => {
          update((d) => applyRecommendations(d, tools.map((t) => ({ name: t.name, rule: recommendRule({ name: t.name, level: t.level, category: t.category }) }))));
          setConfirmAll(false);
        }}
      >
        <p>
          Each tool gets the rule its risk calls for: low-risk tools are allowed, Execute and High-risk tools are capped at 10 calls a minute per
          key, and critical Destructive, Financial and Access-control tools wait for a person’s approval.
        </p>
        <p>Their actions, reasons and limits are replaced. Argument constraints and rules for patterns are kept. Nothing is saved until you save.</p>
      </ConfirmDialog>
    </div>
  );
}

function AddPatternForm({
  doc,
  tools,
  onAdd,
  onExisting,
}: {
  doc: PolicyDocument;
  tools: readonly ToolSummary[];
  onAdd: (pattern: string) => void;
  onExisting: (pattern: string) => void;
}) {
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const errorId = `${inputId}-error`;
  function submit(event: FormEvent) {
    event.preventDefault();
    const pattern = value;
    if (pattern.trim() === "") return setError("Enter a tool name or a pattern such as get_*.");
    if (pattern.trim() !== pattern) return setError("Tool names never start or end with spaces.");
    if (Object.hasOwn(doc.tools ?? {}, pattern)) {
      onExisting(pattern);
      return setError(`There is already a rule for “${pattern}”: it is opened above.`);
    }
    setError(null);
    setValue("");
    onAdd(pattern);
  }
  const listed = tools.some((t) => t.name === value);
  return (
    <form onSubmit={submit} className="flex flex-wrap items-start gap-2" noValidate>
      <div className="min-w-64 flex-1 space-y-1 sm:max-w-md">
        <label htmlFor={inputId} className="block text-sm font-medium">
          Add a rule for a pattern
        </label>
        <input
          id={inputId}
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            setError(null);
          }}
          placeholder="get_* or a tool name"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          className="block h-10 w-full rounded-md border border-zinc-300 bg-white px-3 font-mono text-sm shadow-xs placeholder:font-sans placeholder:text-zinc-400 dark:border-zinc-700 dark:bg-zinc-900"
        />
        {error ? (
          <p id={errorId} className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        ) : listed ? (
          <p className="text-xs text-zinc-500 dark:text-zinc-400">This is one of the server’s tools: its row above gets the rule.</p>
        ) : null}
      </div>
      <Button type="submit" variant="secondary" className="sm:mt-6">
        Add rule
      </Button>
    </form>
  );
}
