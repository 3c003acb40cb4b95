"use client";

import { useEffect, useRef, useState } from "react";
import { TIME_RANGES, TOOL_CALLS, fromLocalInput, isFiltered, toLocalInput, type ActivityFilters, type TimeRange } from "@/components/activity/activity-params";
import { DECISION_LABELS } from "@/components/policy/decision-badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import { AUDIT_DECISIONS, type AuditDecision } from "@/lib/audit/decisions";

/** New values for some filters, or a function of the current ones. */
export type FilterChange = Partial<ActivityFilters> | ((current: ActivityFilters) => Partial<ActivityFilters>);

export interface Option {
  value: string;
  label: string;
}

const CHECKED: Record<AuditDecision, string> = {
  allow: "peer-checked:border-emerald-300 peer-checked:bg-emerald-50 peer-checked:text-emerald-800 dark:peer-checked:border-emerald-700 dark:peer-checked:bg-emerald-950 dark:peer-checked:text-emerald-300",
  deny: "peer-checked:border-red-300 peer-checked:bg-red-50 peer-checked:text-red-800 dark:peer-checked:border-red-700 dark:peer-checked:bg-red-950 dark:peer-checked:text-red-300",
  rate_limited: "peer-checked:border-orange-300 peer-checked:bg-orange-50 peer-checked:text-orange-800 dark:peer-checked:border-orange-700 dark:peer-checked:bg-orange-950 dark:peer-checked:text-orange-300",
  require_approval: "peer-checked:border-amber-300 peer-checked:bg-amber-50 peer-checked:text-amber-800 dark:peer-checked:border-amber-700 dark:peer-checked:bg-amber-950 dark:peer-checked:text-amber-300",
  error: "peer-checked:border-zinc-400 peer-checked:bg-zinc-100 peer-checked:text-zinc-900 dark:peer-checked:border-zinc-500 dark:peer-checked:bg-zinc-800 dark:peer-checked:text-zinc-100",
};

const DOT: Record<AuditDecision, string> = {
  allow: "bg-emerald-500",
  deny: "bg-red-500",
  rate_limited: "bg-orange-500",
  require_approval: "bg-amber-500",
  error: "bg-zinc-500",
};

/** The filters above the Activity table. Every change is applied at once, except typing a tool name (on a pause). */
export function ActivityFilterBar({
  filters,
  onApply,
  servers,
  grants,
  rangeError,
}: {
  filters: ActivityFilters;
  onApply: (change: FilterChange) => void;
  servers: Option[];
  grants: Option[];
  rangeError: string | null;
}) {
  const [tool, setTool] = useState(filters.tool);
  // When the URL's tool changes from outside the box (back button, "Clear filters"), the box follows it; the value
  // this bar last wrote must not overwrite what the person has typed since.
  const [toolInUrl, setToolInUrl] = useState(filters.tool);
  const [toolWritten, setToolWritten] = useState(filters.tool);
  if (filters.tool !== toolInUrl) {
    setToolInUrl(filters.tool);
    if (filters.tool !== toolWritten) setTool(filters.tool);
  }
  const typingTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(typingTimer.current), []);

  function apply(change: FilterChange) {
    clearTimeout(typingTimer.current);
    // What is in the tool box counts even when its pause has not come yet.
    onApply((current) => {
      const next = typeof change === "function" ? change(current) : change;
      const value = (next.tool ?? tool).trim();
      setToolWritten(value);
      return { ...next, tool: value };
    });
  }

  function onToolChange(value: string) {
    setTool(value);
    clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(() => apply({ tool: value }), 400);
  }

  function toggleDecision(decision: AuditDecision, on: boolean) {
    apply((current) => {
      const chosen = new Set(current.decisions);
      if (on) chosen.add(decision);
      else chosen.delete(decision);
      return { decisions: AUDIT_DECISIONS.filter((d) => chosen.has(d)) };
    });
  }

  return (
    <div role="search" aria-label="Filter activity" className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <SelectField label="Server" value={filters.server} options={servers} onChange={(e) => apply({ server: e.target.value })} className="w-44" />
        <SelectField label="Grant" value={filters.grant} options={grants} onChange={(e) => apply({ grant: e.target.value })} className="w-44" />
        <div className="min-w-48 flex-1 space-y-1.5">
          <label htmlFor="activity-tool" className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
            Tool
          </label>
          <input
            id="activity-tool"
            type="search"
            value={tool}
            placeholder="Exact name, or a pattern like get_*"
            maxLength={200}
            spellCheck={false}
            onChange={(event) => onToolChange(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter") apply({ tool });
            }}
            className="block h-10 w-full rounded-md border border-zinc-300 bg-white px-3 font-mono text-sm shadow-xs placeholder:font-sans placeholder:text-zinc-400 dark:border-zinc-700 dark:bg-zinc-900"
          />
        </div>
        <SelectField
          label="Time"
          value={filters.range}
          options={TIME_RANGES.map((r) => ({ value: r.id, label: r.label }))}
          onChange={(e) => {
            const range = e.target.value as TimeRange;
            // A custom range starts as the last hour, to be adjusted.
            if (range === "custom" && !filters.from && !filters.to) {
              apply({ range, from: new Date(Date.now() - 3_600_000).toISOString(), to: "" });
            } else {
              apply({ range });
            }
          }}
          className="w-44"
        />
      </div>

      {filters.range === "custom" && (
        <div className="flex flex-wrap items-start gap-3">
          <Field
            label="From"
            type="datetime-local"
            value={toLocalInput(filters.from)}
            onChange={(e) => apply({ from: fromLocalInput(e.target.value) })}
            className="w-56"
          />
          <Field
            label="To"
            type="datetime-local"
            value={toLocalInput(filters.to)}
            hint={filters.to ? undefined : "Empty: until now, with new calls live."}
            error={rangeError ?? undefined}
            onChange={(e) => apply({ to: fromLocalInput(e.target.value) })}
            className="w-56"
          />
        </div>
      )}

      <div className="flex flex-wrap items-center justify-between gap-3">
        <fieldset className="flex flex-wrap items-center gap-2">
          <legend className="sr-only">Decision</legend>
          <span aria-hidden="true" className="mr-1 text-sm font-medium text-zinc-800 dark:text-zinc-200">
            Decision
          </span>
          {AUDIT_DECISIONS.map((decision) => (
            <label key={decision} className="relative cursor-pointer">
              <input
                type="checkbox"
                className="peer sr-only"
                checked={filters.decisions.includes(decision)}
                onChange={(e) => toggleDecision(decision, e.target.checked)}
              />
              <span
                className={`inline-flex items-center gap-1.5 rounded-full border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium text-zinc-600 peer-focus-visible:ring-2 peer-focus-visible:ring-indigo-500 peer-focus-visible:ring-offset-1 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 ${CHECKED[decision]}`}
              >
                <span aria-hidden="true" className={`h-1.5 w-1.5 rounded-full ${DOT[decision]}`} />
                {DECISION_LABELS[decision]}
              </span>
            </label>
          ))}
          <span className="text-xs text-zinc-500 dark:text-zinc-400">{filters.decisions.length === 0 ? "All decisions" : null}</span>
        </fieldset>
        <label className="inline-flex cursor-pointer items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
          <input
            type="checkbox"
            className="h-4 w-4 rounded border-zinc-300 text-indigo-600 focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-600"
            checked={filters.method === TOOL_CALLS}
            onChange={(e) => apply({ method: e.target.checked ? TOOL_CALLS : "" })}
          />
          Tool calls only
          <span className="text-xs text-zinc-500 dark:text-zinc-400">(hides initialize, tools/list, notifications...)</span>
        </label>
        {isFiltered(filters) && (
          <Button
            variant="ghost"
            size="sm"
            onClick={() => {
              setTool("");
              apply({ server: "", grant: "", tool: "", method: "", decisions: [], range: "all", from: "", to: "" });
            }}
          >
            Clear filters
          </Button>
        )}
      </div>
    </div>
  );
}
