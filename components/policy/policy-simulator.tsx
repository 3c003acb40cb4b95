"use client";

import { useId, useState } from "react";
import { ArgumentsForm } from "@/components/policy/arguments-form";
import { ListedToolArguments } from "@/components/policy/listed-tool-arguments";
import { simulatorInputClass as inputClass, type Simulated } from "@/components/policy/simulation";
import { SimulationResult } from "@/components/policy/simulation-result";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { SelectField } from "@/components/ui/select-field";
import type { JsonValue } from "@/lib/policy";
import { ApiProblem } from "@/lib/query-hooks/api-fetch";
import { useGrants, type GrantView } from "@/lib/query-hooks/grants";
import { useSimulatePolicy } from "@/lib/query-hooks/policies";
import type { ToolSummary } from "@/lib/query-hooks/servers";

const OTHER = "\u0000other";
const NO_GRANT = "";

type Source = "editor" | "active";

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
