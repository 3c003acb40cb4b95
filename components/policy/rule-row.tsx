"use client";

import { useId } from "react";
import { ArgConstraintsEditor } from "@/components/policy/arg-constraints-editor";
import {
  newLimit,
  ruleSummary,
  setRule,
  updateRule,
  withAction,
  withLimit,
  withReason,
  withRecommendation,
  type BuilderRow,
} from "@/components/policy/builder-document";
import { DraftInput } from "@/components/policy/draft-input";
import { IssueText } from "@/components/policy/issue-text";
import { LimitEditor } from "@/components/policy/limit-editor";
import { issuesUnder, type EditorIssue } from "@/components/policy/policy-text";
import { RiskBadge } from "@/components/risk-badge";
import { explainRule } from "@/components/tools/rule-explanation";
import { Button } from "@/components/ui/button";
import { DEFAULT_APPROVAL_TIMEOUT_SECONDS, MAX_APPROVAL_TIMEOUT_SECONDS, pointerChild, type CompiledPolicy, type PolicyDocument, type PolicyRule, type RuleAction } from "@/lib/policy";
import type { ToolSummary } from "@/lib/query-hooks/servers";
import { RISK_CATEGORY_LABELS } from "@/lib/risk/labels";
import { recommendRule } from "@/lib/risk";

export const ACTION_LABELS: Record<RuleAction, string> = { allow: "Allow", deny: "Deny", require_approval: "Require approval" };

const ACCENTS: Record<RuleAction | "none", string> = {
  allow: "border-l-emerald-500",
  deny: "border-l-red-500",
  require_approval: "border-l-amber-500",
  none: "border-l-transparent",
};

export type DocUpdate = (update: (doc: PolicyDocument) => PolicyDocument) => void;

/** A new rule with an action written out, so the JSON says what it does; a rule removed earlier comes back whole. */
function ruleWithAction(base: PolicyRule, action: RuleAction): PolicyRule {
  const next = withAction(base, action);
  return next.action === undefined ? { action, ...next } : next;
}

export function RuleRow({
  row,
  doc,
  compiled,
  issues,
  counterUsers,
  toolNames,
  expanded,
  onToggle,
  onDocChange,
  stash,
}: {
  row: BuilderRow<ToolSummary>;
  /** The server's tool names, to say which of them a pattern's rule applies to. */
  toolNames: readonly string[];
  doc: PolicyDocument;
  compiled: CompiledPolicy | null;
  issues: readonly EditorIssue[];
  counterUsers: ReadonlyMap<string, readonly string[]>;
  expanded: boolean;
  onToggle: () => void;
  onDocChange: DocUpdate;
  /** Rules removed with "No rule" in this session, so choosing an action again brings back their limits and constraints. */
  stash: Map<string, PolicyRule>;
}) {
  const { pattern, rule, tool } = row;
  const pointer = pointerChild("/tools", pattern);
  const detailsId = useId();
  const own = issuesUnder(issues, pointer);
  const errorCount = own.filter((i) => i.kind !== "warning").length;
  const ruleWarnings = own.filter((i) => i.kind === "warning" && i.path === pointer);
  const timeoutIssues = own.filter((i) => i.path === pointerChild(pointer, "approval_timeout_seconds"));
  const action = rule ? (rule.action ?? "allow") : null;
  const update = (change: (r: PolicyRule) => PolicyRule) => onDocChange((d) => updateRule(d, pattern, change));
  const recommended = tool ? recommendRule({ name: tool.name, level: tool.level, category: tool.category }) : null;

  function chooseAction(value: string) {
    if (value === "") {
      if (rule) stash.set(pattern, rule);
      onDocChange((d) => setRule(d, pattern, null));
      return;
    }
    const next = value as RuleAction;
    onDocChange((d) => {
      const current = Object.hasOwn(d.tools ?? {}, pattern) ? d.tools[pattern]! : null;
      return setRule(d, pattern, current ? withAction(current, next) : ruleWithAction(stash.get(pattern) ?? {}, next));
    });
  }

  let applies: string | null = null;
  if (row.kind === "pattern" && compiled) {
    const names = toolNames.filter((name) => compiled.match(name)?.pattern === pattern);
    const shown = names.slice(0, 4).join(", ");
    applies =
      names.length === 0
        ? "Applies to none of the server's tools"
        : `Applies to ${names.length === 1 ? "1 tool" : `${names.length} tools`}: ${shown}${names.length > 4 ? ` and ${names.length - 4} more` : ""}`;
  }

  let status: string;
  if (rule) {
    const parts = ruleSummary(rule);
    status = parts.length > 0 ? parts.join(" · ") : action === "allow" ? "Allowed, no limits" : "";
  } else {
    const covering = compiled?.match(pattern);
    status = covering
      ? `No rule of its own: the rule for “${covering.pattern}” applies (${ACTION_LABELS[covering.action].toLowerCase()})`
      : `No rule: ${doc.default === "deny" ? "denied" : "allowed"} by the default`;
  }

  return (
    <li data-testid="rule-row" data-pattern={pattern} className={`border-l-4 ${ACCENTS[action ?? "none"]}`}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3">
        <button
          type="button"
          onClick={onToggle}
          aria-expanded={expanded}
          aria-controls={detailsId}
          aria-label={`${expanded ? "Hide" : "Show"} the rule details for ${pattern}`}
          className="flex h-7 w-7 shrink-0 items-center justify-center rounded-md text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
        >
          <svg viewBox="0 0 20 20" className={`h-4 w-4 transition-transform ${expanded ? "rotate-90" : ""}`} fill="currentColor" aria-hidden="true">
            <path d="M7.2 4.2a1 1 0 0 1 1.4 0l5.1 5.1a1 1 0 0 1 0 1.4l-5.1 5.1a1 1 0 1 1-1.4-1.4L11.6 10 7.2 5.6a1 1 0 0 1 0-1.4Z" />
          </svg>
        </button>
        <div className="min-w-0 flex-1 basis-56">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-sm font-medium break-all">{pattern}</span>
            {tool && <RiskBadge level={tool.level} />}
            {tool && <span className="text-xs text-zinc-500 dark:text-zinc-400">{RISK_CATEGORY_LABELS[tool.category]}</span>}
            {row.kind === "pattern" && <span className="text-xs text-zinc-500 dark:text-zinc-400">pattern</span>}
            {errorCount > 0 && (
              <span className="rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-300">
                {errorCount === 1 ? "1 error" : `${errorCount} errors`}
              </span>
            )}
          </div>
          <p className="mt-0.5 truncate text-xs text-zinc-500 dark:text-zinc-400" title={status}>
            {status}
          </p>
          {applies && (
            <p className="mt-0.5 truncate text-xs text-zinc-500 dark:text-zinc-400" title={applies}>
              {applies}
            </p>
          )}
          {ruleWarnings.map((w, i) => (
            <p key={i} className="mt-0.5 text-xs text-amber-700 dark:text-amber-400">
              <IssueText text={w.message} />
            </p>
          ))}
        </div>
        <select
          aria-label={`Rule for ${pattern}`}
          value={action ?? ""}
          onChange={(event) => chooseAction(event.target.value)}
          className="ml-10 h-9 w-44 rounded-md border border-zinc-300 bg-white px-2 text-sm shadow-xs sm:ml-0 dark:border-zinc-700 dark:bg-zinc-900"
        >
          {row.kind === "tool" && <option value="">No rule</option>}
          <option value="allow">Allow</option>
          <option value="deny">Deny</option>
          <option value="require_approval">Require approval</option>
        </select>
      </div>

      {expanded && (
        <div id={detailsId} className="space-y-5 border-t border-zinc-200 bg-zinc-50/70 px-4 py-4 sm:pl-14 dark:border-zinc-800 dark:bg-zinc-950/40">
          {!rule ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {status}. Choose an action to give it a rule of its own{recommended ? ", or apply the recommended one" : ""}.
            </p>
          ) : (
            <>
              <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_12rem]">
                <DraftInput
                  // A deny rule hides its tools: the agent only ever sees "unknown tool", so its reason is for people.
                  label={action === "deny" ? "Reason, for Activity (the agent sees the tool as unknown)" : "Reason told to the agent"}
                  labelSuffix={` for ${pattern}`}
                  value={rule.reason ?? ""}
                  placeholder={action === "allow" ? "Told when a limit or constraint stops a call" : "Why this tool is stopped"}
                  issue={own.find((i) => i.path === pointerChild(pointer, "reason"))?.message}
                  onCommit={(text) => {
                    update((r) => withReason(r, text));
                    return null;
                  }}
                />
                {action === "require_approval" && (
                  <DraftInput
                    label="Approval timeout (seconds)"
                    labelSuffix={` for ${pattern}`}
                    value={rule.approval_timeout_seconds === undefined ? "" : String(rule.approval_timeout_seconds)}
                    placeholder={`${DEFAULT_APPROVAL_TIMEOUT_SECONDS} (the default)`}
                    inputMode="numeric"
                    issue={timeoutIssues.find((i) => i.kind !== "warning")?.message}
                    hint={timeoutIssues.find((i) => i.kind === "warning")?.message}
                    onCommit={(text) => {
                      const trimmed = text.trim();
                      const seconds = Number(trimmed);
                      if (trimmed !== "" && (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_APPROVAL_TIMEOUT_SECONDS)) {
                        return `Enter a whole number from 1 to ${MAX_APPROVAL_TIMEOUT_SECONDS}.`;
                      }
                      update((r) => {
                        const { approval_timeout_seconds: _old, ...rest } = r;
                        return trimmed === "" ? rest : { ...r, approval_timeout_seconds: seconds };
                      });
                      return null;
                    }}
                  />
                )}
              </div>
              <LimitEditor
                pointer={pointerChild(pointer, "limits")}
                limits={rule.limits ?? []}
                issues={issuesUnder(own, pointerChild(pointer, "limits"))}
                counterUsers={counterUsers}
                pattern={pattern}
                onChange={(index, limit) => update((r) => withLimit(r, index, limit))}
                onAdd={() => onDocChange((d) => updateRule(d, pattern, (r) => withLimit(r, (r.limits ?? []).length, newLimit(d, pattern))))}
              />
              <ArgConstraintsEditor pattern={pattern} pointer={pointer} rule={rule} toolId={tool?.id ?? null} issues={own} onChange={update} />
            </>
          )}
          <div className="flex flex-wrap items-center gap-3 border-t border-zinc-200 pt-4 dark:border-zinc-800">
            {recommended && (
              <>
                <Button variant="secondary" size="sm" onClick={() => update((r) => withRecommendation(r, recommended))} aria-label={`Apply the recommended rule to ${pattern}`}>
                  Apply recommended
                </Button>
                <p className="min-w-0 flex-1 text-xs text-zinc-500 dark:text-zinc-400">
                  Recommended for its risk: {recommended.action === "require_approval" ? "require approval" : "allow"}. {explainRule(recommended as Record<string, unknown>, undefined, tool?.level)}
                </p>
              </>
            )}
            {rule && row.kind !== "tool" && (
              <Button variant="danger" size="sm" className="ml-auto" onClick={() => onDocChange((d) => setRule(d, pattern, null))}>
                Remove rule
              </Button>
            )}
          </div>
        </div>
      )}
    </li>
  );
}
