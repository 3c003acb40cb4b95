"use client";

import { useId, useState, type FormEvent } from "react";
import { LoadError } from "@/components/load-error";
import { DecisionBadge } from "@/components/policy/decision-badge";
import { IssueText } from "@/components/policy/issue-text";
import { argsFromForm, argsFromJson, toolArguments, type ToolArgument } from "@/components/policy/tool-arguments";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LoadingText } from "@/components/ui/loading-text";
import { SelectField } from "@/components/ui/select-field";
import type { JsonValue } from "@/lib/policy";
import { ApiProblem } from "@/lib/queries/api-fetch";
import { useGrants, type GrantView } from "@/lib/queries/grants";
import { useSimulatePolicy, type SimulateResult } from "@/lib/queries/policies";
import type { ToolSummary } from "@/lib/queries/servers";
import { useTool } from "@/lib/queries/tools";

const OTHER = "\u0000other";
const NO_GRANT = "";

const CODE_SENTENCES: Record<string, string> = {
  allowed: "Allowed by the matching rule.",
  allowed_by_default: "Allowed by the default: no rule matches this tool.",
  denied_by_rule: "Denied by the matching rule.",
  denied_by_default: "Denied by the default: no rule matches this tool.",
  argument_violation: "Refused: an argument breaks the rule's constraints.",
  rate_limited: "Refused: a limit of the matching rule is used up.",
  approval_required: "Held until a person approves it.",
  policy_error: "Refused: the constraints could not be checked.",
};

const inputClass =
  "block h-9 w-full rounded-md border border-zinc-300 bg-white px-2.5 text-sm shadow-xs placeholder:text-zinc-400 dark:border-zinc-700 dark:bg-zinc-900";

type Source = "editor" | "active";

interface Simulated {
  tool: string;
  args: Record<string, JsonValue>;
  source: string;
  grant: string;
  result: SimulateResult;
  /** Arguments the tool's own schema requires that the call leaves out. */
  missing: string[];
}

type RunCall = (args: Record<string, JsonValue>, missing: string[]) => void;

/** Runs one call through a policy without making it: the decision, the rule, the reason, and the counters involved. */
export function PolicySimulator({
  serverId,
  tools,
  text,
  editorErrors,
  dirty,
  activeVersion,
}: {
  serverId: string;
  tools: readonly ToolSummary[];
  text: string;
  editorErrors: number;
  dirty: boolean;
  activeVersion: number | null;
}) {
  const simulate = useSimulatePolicy(serverId);
  const [choice, setChoice] = useState(tools[0]?.name ?? OTHER);
  const [otherName, setOtherName] = useState("");
  const [nameError, setNameError] = useState<string | null>(null);
  const [source, setSource] = useState<Source>("editor");
  const [grantChoice, setGrantChoice] = useState(NO_GRANT);
  const [simulated, setSimulated] = useState<Simulated | null>(null);
  const ids = { tool: useId(), other: useId() };
  const tool = tools.find((t) => t.name === choice) ?? null;
  const grants = useGrants();
  // Only grants the gateway would accept on this server; a choice revoked meanwhile falls back to none.
  const reaching = grants.data?.filter((g) => !g.revokedAt && g.serverIds.includes(serverId)) ?? [];
  const grant = reaching.find((g) => g.id === grantChoice) ?? null;
  const grantError = simulate.error instanceof ApiProblem ? simulate.error.fieldError("grant") : undefined;
  let grantHint: string;
  if (grants.isPending) grantHint = "Loading this workspace’s grants…";
  else if (grants.isError) grantHint = "The grants could not be loaded: limits per key are simulated for a hypothetical grant.";
  else if (reaching.length === 0) grantHint = "No active grant reaches this server yet: limits per key are simulated for a hypothetical grant.";
  else grantHint = "The grant the call is made with: limits per key show its calls in the current window.";

  function run(args: Record<string, JsonValue>, missing: string[]) {
    const name = tool ? tool.name : otherName.trim();
    if (!name) {
      setNameError("Enter the name of the tool to call.");
      return;
    }
    const sourceLabel = source === "editor" ? (dirty ? "the editor’s policy (unsaved)" : "the editor’s policy") : `version ${activeVersion}`;
    simulate.mutate(
      { tool: name, args, text: source === "editor" ? text : undefined, grant: grant?.id },
      {
        onSuccess: (result) =>
          setSimulated({ tool: name, args, source: sourceLabel, grant: grant ? grantLabel(grant) : "None (a hypothetical one)", result, missing }),
      },
    );
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
      <Card className="space-y-5 p-5">
        <div className="space-y-1.5">
          <label htmlFor={ids.tool} className="block text-sm font-medium">
            Tool
          </label>
          <select
            id={ids.tool}
            value={choice}
            onChange={(event) => {
              setChoice(event.target.value);
              setNameError(null);
            }}
            className={`${inputClass} h-10`}
          >
            {tools.map((t) => (
              <option key={t.id} value={t.name}>
                {t.name}
              </option>
            ))}
            <option value={OTHER}>Another tool name…</option>
          </select>
        </div>
        {!tool && (
          <div className="space-y-1.5">
            <label htmlFor={ids.other} className="block text-sm font-medium">
              Tool name
            </label>
            <input
              id={ids.other}
              value={otherName}
              onChange={(event) => {
                setOtherName(event.target.value);
                setNameError(null);
              }}
              placeholder="e.g. delete_repository"
              spellCheck={false}
              aria-invalid={nameError ? true : undefined}
              className={`${inputClass} h-10 font-mono`}
            />
            {nameError && <p className="text-sm text-red-600 dark:text-red-400">{nameError}</p>}
          </div>
        )}

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Policy</legend>
          <label className="flex items-start gap-2 text-sm">
            <input type="radio" name="simulate-source" checked={source === "editor"} onChange={() => setSource("editor")} className="mt-0.5 accent-indigo-600" />
            <span>
              The policy in the editor{dirty ? " (unsaved changes)" : ""}
              {editorErrors > 0 && source === "editor" && (
                <span className="block text-xs text-red-600 dark:text-red-400">
                  It has {editorErrors === 1 ? "1 error" : `${editorErrors} errors`}: fix {editorErrors === 1 ? "it" : "them"} to simulate it.
                </span>
              )}
            </span>
          </label>
          <label className={`flex items-start gap-2 text-sm ${activeVersion === null ? "opacity-60" : ""}`}>
            <input
              type="radio"
              name="simulate-source"
              checked={source === "active"}
              disabled={activeVersion === null}
              onChange={() => setSource("active")}
              className="mt-0.5 accent-indigo-600"
            />
            <span>{activeVersion === null ? "The active version (none saved yet)" : `The active version (version ${activeVersion})`}</span>
          </label>
        </fieldset>

        <SelectField
          label="Grant"
          value={grant?.id ?? NO_GRANT}
          onChange={(event) => {
            setGrantChoice(event.target.value);
            if (grantError) simulate.reset();
          }}
          disabled={grants.isPending}
          options={[{ value: NO_GRANT, label: "No grant (a hypothetical one)" }, ...reaching.map((g) => ({ value: g.id, label: grantLabel(g) }))]}
          hint={grantHint}
          error={grantError}
        />

        {tool ? (
          <ListedToolArguments key={tool.id} toolId={tool.id} onRun={run} pending={simulate.isPending} />
        ) : (
          <ArgumentsForm key="other" fields={[]} onRun={run} pending={simulate.isPending} />
        )}
      </Card>

      <div className="min-w-0 space-y-4" aria-live="polite">
        {simulate.isError && (
          <Alert tone="error" title="The call could not be simulated">
            {simulate.error.message}
          </Alert>
        )}
        {simulated ? (
          <SimulationResult simulated={simulated} />
        ) : (
          <Card className="px-5 py-12 text-center text-sm text-zinc-600 dark:text-zinc-400">
            <p className="font-medium text-zinc-900 dark:text-zinc-100">Try a call before an agent does</p>
            <p className="mt-1">
              Pick a tool, fill in its arguments and simulate: you see the decision, the rule that matched and the sentence the agent would get.
              Nothing is sent to the server.
            </p>
          </Card>
        )}
      </div>
    </div>
  );
}

function grantLabel(grant: GrantView): string {
  return `${grant.name} (${grant.keyPrefix}…)`;
}

function ListedToolArguments({ toolId, onRun, pending }: { toolId: string; onRun: RunCall; pending: boolean }) {
  const tool = useTool(toolId);
  if (tool.isPending) return <LoadingText>Loading the tool’s arguments…</LoadingText>;
  if (tool.isError) return <LoadError title="The tool's arguments could not be loaded" error={tool.error} onRetry={() => void tool.refetch()} />;
  return <ArgumentsForm fields={toolArguments(tool.data.inputSchema)} onRun={onRun} pending={pending} />;
}

function ArgumentsForm({ fields, onRun, pending }: { fields: readonly ToolArgument[]; onRun: RunCall; pending: boolean }) {
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

function ArgumentField({ field, value, error, onChange }: { field: ToolArgument; value: string; error?: string; onChange: (value: string) => void }) {
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

function SimulationResult({ simulated }: { simulated: Simulated }) {
  const { result } = simulated;
  return (
    <div data-testid="simulation-result">
      <Card className="divide-y divide-zinc-200 dark:divide-zinc-800">
        <div className="flex flex-wrap items-center gap-3 px-5 py-4">
          <DecisionBadge decision={result.decision} className="px-3 py-1 text-sm" />
          <p className="text-sm font-medium">{CODE_SENTENCES[result.code] ?? result.code}</p>
        </div>
        {simulated.missing.length > 0 && (
          <p className="px-5 py-3 text-sm text-amber-800 dark:text-amber-300" data-testid="missing-arguments">
            The call leaves out {simulated.missing.length === 1 ? "an argument" : "arguments"} the tool requires (
            {simulated.missing.map((name, i) => (
              <span key={name}>
                {i > 0 && ", "}
                <code className="font-mono text-xs">{name}</code>
              </span>
            ))}
            ): {result.decision === "allow" ? "the policy lets it through, but the server would likely refuse it." : "the server would likely refuse it too."}
          </p>
        )}
        <dl className="grid gap-x-6 gap-y-3 px-5 py-4 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
          <dt className="text-zinc-500 dark:text-zinc-400">Call</dt>
          <dd className="min-w-0 font-mono text-xs break-all">
            {simulated.tool}({JSON.stringify(simulated.args)})
          </dd>
          <dt className="text-zinc-500 dark:text-zinc-400">Policy</dt>
          <dd>{simulated.source}</dd>
          <dt className="text-zinc-500 dark:text-zinc-400">Grant</dt>
          <dd data-testid="simulated-grant">{simulated.grant}</dd>
          <dt className="text-zinc-500 dark:text-zinc-400">Rule that matched</dt>
          <dd data-testid="matched-rule">
            {result.matchedRule === null ? (
              <span>None: the default decided</span>
            ) : (
              <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">{result.matchedRule}</code>
            )}
          </dd>
          <dt className="text-zinc-500 dark:text-zinc-400">The agent is told</dt>
          <dd>
            <blockquote className="border-l-2 border-zinc-300 pl-3 text-zinc-800 dark:border-zinc-600 dark:text-zinc-200" data-testid="decision-reason">
              <IssueText text={result.reason} />
            </blockquote>
          </dd>
        </dl>
        {result.violations.length > 0 && (
          <div className="px-5 py-4">
            <h4 className="text-sm font-medium">Argument violations</h4>
            <ul className="mt-2 space-y-1.5 text-sm" aria-label="Argument violations">
              {result.violations.map((v, index) => (
                <li key={index} className="flex gap-2">
                  <span aria-hidden="true" className="mt-1.5 h-1.5 w-1.5 shrink-0 rounded-full bg-red-500" />
                  <span>
                    <IssueText text={v.message} />{" "}
                    <span className="text-xs text-zinc-500 dark:text-zinc-400">
                      ({v.path}, {v.keyword})
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="px-5 py-4">
          <h4 className="text-sm font-medium">Counters</h4>
          {result.counters.length === 0 ? (
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">No limit applies to this call.</p>
          ) : (
            <table className="mt-2 w-full text-left text-sm" aria-label="Counters">
              <thead className="text-xs text-zinc-500 dark:text-zinc-400">
                <tr>
                  <th className="py-1 pr-3 font-medium">Counter</th>
                  <th className="py-1 pr-3 font-medium">Used</th>
                  <th className="py-1 pr-3 font-medium whitespace-nowrap">Counted per</th>
                  <th className="py-1 font-medium whitespace-nowrap">Resets at</th>
                </tr>
              </thead>
              <tbody>
                {result.counters.map((c) => (
                  <tr key={`${c.counter}-${c.scope}-${c.windowEnd}`}>
                    <td className="py-1 pr-3 font-mono text-xs break-all">{c.counter}</td>
                    <td className={`py-1 pr-3 whitespace-nowrap ${c.used >= c.max ? "font-medium text-red-700 dark:text-red-400" : ""}`}>
                      {c.used} / {c.max} per {c.window}
                      {c.used >= c.max && " (used up)"}
                    </td>
                    <td className="py-1 pr-3 whitespace-nowrap">{c.scope === "grant" ? "key" : "server"}</td>
                    <td className="py-1 whitespace-nowrap">
                      <time dateTime={c.windowEnd}>{resetTime(c.windowEnd, c.window)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {result.usageNote && <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">{result.usageNote}</p>}
        </div>
      </Card>
    </div>
  );
}

/** When a window ends: the time of day, with the date for daily windows (they end at midnight UTC, maybe not today here). */
function resetTime(windowEnd: string, window: string): string {
  const date = new Date(windowEnd);
  return window === "day" ? date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : date.toLocaleTimeString();
}
