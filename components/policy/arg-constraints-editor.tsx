"use client";

import { useId, useState } from "react";
import { LoadError } from "@/components/load-error";
import { withArgKeyword, type BuilderKeyword } from "@/components/policy/builder-document";
import { DraftInput } from "@/components/policy/draft-input";
import { IssueText } from "@/components/policy/issue-text";
import { issuesUnder, type EditorIssue } from "@/components/policy/policy-text";
import { formatValueList, parseValueList, toolArguments, valueKind, type ArgumentKind, type ToolArgument } from "@/components/policy/tool-arguments";
import { Button } from "@/components/ui/button";
import { LoadingText } from "@/components/ui/loading-text";
import { compilePattern, pointerChild, type ArgConstraint, type JsonValue, type PolicyRule } from "@/lib/policy";
import { useTool } from "@/lib/query-hooks/tools";

type Parsed = { value: JsonValue | undefined } | { error: string };

interface FieldSpec {
  keyword: Exclude<BuilderKeyword, "const">;
  label: string;
  hint?: string;
  format: (value: JsonValue) => string | null;
  parse: (text: string) => Parsed;
}

function numberField(keyword: "minimum" | "maximum", label: string): FieldSpec {
  return {
    keyword,
    label,
    format: (v) => (typeof v === "number" ? String(v) : null),
    parse: (text) => {
      if (text.trim() === "") return { value: undefined };
      const n = Number(text.trim());
      return Number.isFinite(n) ? { value: n } : { error: "Enter a number." };
    },
  };
}

function enumField(kind: ArgumentKind): FieldSpec {
  return {
    keyword: "enum",
    label: "Allowed values",
    hint: "Separate values with commas.",
    format: (v) => (Array.isArray(v) ? formatValueList(v, kind) : null),
    parse: (text) => {
      if (text.trim() === "") return { value: undefined };
      const values = parseValueList(text, kind);
      if (!values) return { error: kind === "integer" ? "Enter whole numbers separated by commas." : "Enter numbers separated by commas." };
      return { value: values.length > 0 ? values : undefined };
    },
  };
}

const PATTERN_FIELD: FieldSpec = {
  keyword: "pattern",
  label: "Pattern",
  hint: "A regular expression; add ^ and $ to match the whole value.",
  format: (v) => (typeof v === "string" ? v : null),
  parse: (text) => {
    if (text === "") return { value: undefined };
    // The same check as saving: patterns run on the linear-time engine (RE2), which has no lookaround.
    const compiled = compilePattern(text);
    return compiled.ok ? { value: text } : { error: `This pattern ${compiled.problem}` };
  },
};

const MAX_LENGTH_FIELD: FieldSpec = {
  keyword: "maxLength",
  label: "Max length",
  format: (v) => (typeof v === "number" ? String(v) : null),
  parse: (text) => {
    if (text.trim() === "") return { value: undefined };
    const n = Number(text.trim());
    return Number.isSafeInteger(n) && n >= 0 ? { value: n } : { error: "Enter a whole number, 0 or more." };
  },
};

/** The constraint fields that fit an argument of this kind. */
function fieldsFor(kind: ArgumentKind): FieldSpec[] {
  if (kind === "string") return [enumField(kind), PATTERN_FIELD, MAX_LENGTH_FIELD];
  if (kind === "number" || kind === "integer") return [enumField(kind), numberField("minimum", "Minimum"), numberField("maximum", "Maximum")];
  if (kind === "boolean") return [];
  return [PATTERN_FIELD, MAX_LENGTH_FIELD, numberField("minimum", "Minimum"), numberField("maximum", "Maximum")];
}

const KIND_WORDS: Record<ArgumentKind, string> = {
  string: "text",
  number: "number",
  integer: "whole number",
  boolean: "true or false",
  enum: "one of a list",
  json: "any JSON",
};

type RuleUpdate = (update: (rule: PolicyRule) => PolicyRule) => void;

/**
 * Argument constraints of one rule. For a tool, a block per argument of its input schema with the fields that fit
 * its type; for a pattern, the arguments the rule already constrains plus any you add. Keywords the builder has no
 * field for are shown as written and kept.
 */
export function ArgConstraintsEditor({
  pattern,
  pointer,
  rule,
  toolId,
  issues,
  onChange,
}: {
  pattern: string;
  pointer: string;
  rule: PolicyRule;
  toolId: string | null;
  issues: readonly EditorIssue[];
  onChange: RuleUpdate;
}) {
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Argument constraints</legend>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        A call whose arguments break a constraint is refused. Arguments the call leaves out are not checked.
      </p>
      {toolId ? (
        <ToolArguments pattern={pattern} pointer={pointer} rule={rule} toolId={toolId} issues={issues} onChange={onChange} />
      ) : (
        <PatternArguments pattern={pattern} pointer={pointer} rule={rule} issues={issues} onChange={onChange} />
      )}
    </fieldset>
  );
}

function ToolArguments({ pattern, pointer, rule, toolId, issues, onChange }: { pattern: string; pointer: string; rule: PolicyRule; toolId: string; issues: readonly EditorIssue[]; onChange: RuleUpdate }) {
  const tool = useTool(toolId);
  if (tool.isPending) return <LoadingText>Loading the tool’s arguments…</LoadingText>;
  if (tool.isError) return <LoadError title="The tool's arguments could not be loaded" error={tool.error} onRetry={() => void tool.refetch()} />;
  const declared = toolArguments(tool.data.inputSchema);
  const names = new Set(declared.map((a) => a.name));
  const extra: ToolArgument[] = Object.keys(rule.args ?? {})
    .filter((name) => !names.has(name))
    .map((name) => ({ name, kind: "json", required: false, description: null, options: [] }));
  if (declared.length === 0 && extra.length === 0) {
    return <p className="text-sm text-zinc-600 italic dark:text-zinc-400">This tool takes no arguments, so there is nothing to constrain.</p>;
  }
  return (
    <ul className="space-y-2" aria-label={`Arguments of ${pattern}`}>
      {declared.map((argument) => (
        <ArgumentBlock key={argument.name} argument={argument} pointer={pointer} rule={rule} issues={issues} onChange={onChange} />
      ))}
      {extra.map((argument) => (
        <ArgumentBlock key={argument.name} argument={argument} pointer={pointer} rule={rule} issues={issues} onChange={onChange} undeclared />
      ))}
    </ul>
  );
}

function PatternArguments({ pattern, pointer, rule, issues, onChange }: { pattern: string; pointer: string; rule: PolicyRule; issues: readonly EditorIssue[]; onChange: RuleUpdate }) {
  const [added, setAdded] = useState<string[]>([]);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const existing = Object.keys(rule.args ?? {});
  const shown = [...existing, ...added.filter((a) => !existing.includes(a))];
  function add() {
    const arg = name.trim();
    if (!arg) return setError("Enter the argument's name, as the tool's input schema spells it.");
    if (shown.includes(arg)) return setError(`\`${arg}\` is already listed.`);
    setAdded([...added, arg]);
    setName("");
    setError(null);
  }
  return (
    <div className="space-y-2">
      {shown.length > 0 && (
        <ul className="space-y-2" aria-label={`Arguments constrained by ${pattern}`}>
          {shown.map((arg) => (
            <ArgumentBlock
              key={arg}
              argument={{ name: arg, kind: "json", required: false, description: null, options: [] }}
              pointer={pointer}
              rule={rule}
              issues={issues}
              onChange={onChange}
            />
          ))}
        </ul>
      )}
      <div className="flex flex-wrap items-end gap-2">
        <div className="space-y-1">
          <label htmlFor={inputId} className="block text-xs font-medium text-zinc-700 dark:text-zinc-300">
            Constrain an argument
          </label>
          <input
            id={inputId}
            value={name}
            placeholder="Argument name"
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            onChange={(event) => setName(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                add();
              }
            }}
            className="block h-9 w-56 rounded-md border border-zinc-300 bg-white px-2.5 font-mono text-sm shadow-xs dark:border-zinc-700 dark:bg-zinc-900"
          />
        </div>
        <Button variant="secondary" size="sm" className="mb-0.5" onClick={add}>
          Add argument
        </Button>
      </div>
      {error && (
        <p className="text-xs text-red-600 dark:text-red-400">
          <IssueText text={error} />
        </p>
      )}
    </div>
  );
}

function ArgumentBlock({
  argument,
  pointer,
  rule,
  issues,
  onChange,
  undeclared = false,
}: {
  argument: ToolArgument;
  pointer: string;
  rule: PolicyRule;
  issues: readonly EditorIssue[];
  onChange: RuleUpdate;
  undeclared?: boolean;
}) {
  const arg = argument.name;
  const at = pointerChild(pointerChild(pointer, "args"), arg);
  const constraint: ArgConstraint = Object.hasOwn(rule.args ?? {}, arg) ? rule.args![arg]! : {};
  const kind = valueKind(argument);
  const fields = fieldsFor(kind);
  const shownKeywords = new Set<string>(fields.map((f) => f.keyword));
  if (kind === "boolean") shownKeywords.add("const");
  const own = issuesUnder(issues, at);
  const fieldIssue = (keyword: string) => own.find((i) => i.path === pointerChild(at, keyword) && i.kind !== "warning")?.message;
  const readOnly: [string, unknown][] = [];
  for (const [keyword, value] of Object.entries(constraint)) {
    const field = fields.find((f) => f.keyword === keyword);
    if (!shownKeywords.has(keyword) || (field && field.format(value as JsonValue) === null)) readOnly.push([keyword, value]);
    else if (keyword === "const" && typeof value !== "boolean") readOnly.push([keyword, value]);
  }
  const set = (keyword: BuilderKeyword, value: JsonValue | undefined) => onChange((r) => withArgKeyword(r, arg, keyword, value as never));
  const otherIssues = own.filter((i) => !(i.kind !== "warning" && fields.some((f) => i.path === pointerChild(at, f.keyword))));

  return (
    <li data-testid="argument-constraint" data-arg={arg} className="rounded-md border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
        <span className="font-mono text-sm font-medium">{arg}</span>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">{KIND_WORDS[argument.kind]}</span>
        {argument.required && <span className="text-xs text-zinc-500 dark:text-zinc-400">· required</span>}
        {undeclared && <span className="text-xs text-amber-700 dark:text-amber-400">· not in the tool’s input schema</span>}
      </div>
      {argument.description && <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">{argument.description}</p>}
      {argument.kind === "enum" && (
        <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
          The tool accepts: {argument.options.map((o) => (typeof o === "string" ? o : JSON.stringify(o))).join(", ")}
        </p>
      )}
      <div className="mt-3 grid gap-3 sm:grid-cols-3">
        {fields.map((field) => {
          const current = constraint[field.keyword] as JsonValue | undefined;
          const text = current === undefined ? "" : field.format(current);
          if (text === null) return null;
          return (
            <DraftInput
              key={field.keyword}
              label={field.label}
              labelSuffix={` for ${arg}`}
              value={text}
              hint={field.hint}
              spellCheck={false}
              inputClassName={field.keyword === "pattern" ? "font-mono" : ""}
              issue={fieldIssue(field.keyword)}
              onCommit={(input) => {
                const parsed = field.parse(input);
                if ("error" in parsed) return parsed.error;
                set(field.keyword, parsed.value);
                return null;
              }}
            />
          );
        })}
        {kind === "boolean" && (constraint.const === undefined || typeof constraint.const === "boolean") && (
          <BooleanConstField arg={arg} value={constraint.const as boolean | undefined} onChange={(v) => set("const", v)} />
        )}
      </div>
      {readOnly.length > 0 && (
        <div className="mt-3 rounded border border-dashed border-zinc-300 px-2.5 py-2 text-xs text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          <p>Also in this constraint, kept as written (edit it in the JSON view):</p>
          <ul className="mt-1 space-y-0.5 font-mono">
            {readOnly.map(([keyword, value]) => (
              <li key={keyword} className="break-all">
                {keyword}: {JSON.stringify(value)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {otherIssues.map((issue, index) => (
        <p key={index} className={`mt-2 text-xs ${issue.kind === "warning" ? "text-amber-700 dark:text-amber-400" : "text-red-600 dark:text-red-400"}`}>
          <IssueText text={issue.message} />
        </p>
      ))}
    </li>
  );
}

function BooleanConstField({ arg, value, onChange }: { arg: string; value: boolean | undefined; onChange: (value: boolean | undefined) => void }) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-zinc-700 dark:text-zinc-300">
        Must be<span className="sr-only">{` for ${arg}`}</span>
      </label>
      <select
        id={id}
        value={value === undefined ? "" : String(value)}
        onChange={(event) => onChange(event.target.value === "" ? undefined : event.target.value === "true")}
        className="block h-9 w-full rounded-md border border-zinc-300 bg-white px-2 text-sm shadow-xs dark:border-zinc-700 dark:bg-zinc-900"
      >
        <option value="">Either</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    </div>
  );
}
