import { IssueText } from "@/components/policy/issue-text";
import type { EditorIssue, IssueKind } from "@/components/policy/policy-text";

const KIND_STYLES: Record<IssueKind, { label: string; icon: string; className: string }> = {
  error: { label: "Error", icon: "✕", className: "text-red-600 dark:text-red-400" },
  test: { label: "Failing example", icon: "✕", className: "text-red-600 dark:text-red-400" },
  warning: { label: "Warning", icon: "!", className: "text-amber-600 dark:text-amber-400" },
};

function plural(count: number, one: string, many: string) {
  return `${count} ${count === 1 ? one : many}`;
}

/** "2 errors, 1 failing example and 3 warnings", or null when there is nothing to report. */
export function countIssues(issues: readonly EditorIssue[]): string | null {
  const errors = issues.filter((i) => i.kind === "error").length;
  const tests = issues.filter((i) => i.kind === "test").length;
  const warnings = issues.filter((i) => i.kind === "warning").length;
  const parts = [
    errors ? plural(errors, "error", "errors") : null,
    tests ? plural(tests, "failing example", "failing examples") : null,
    warnings ? plural(warnings, "warning", "warnings") : null,
  ].filter((p): p is string => p !== null);
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/** Every issue of the text, errors first; choosing one moves the editor's cursor to it. */
export function PolicyProblems({
  issues,
  onSelect,
  checking,
  examples,
  id,
}: {
  issues: readonly EditorIssue[];
  onSelect: (issue: EditorIssue) => void;
  checking: boolean;
  /** How many example calls (`tests`) the policy has, all passing when there are no issues. */
  examples: number;
  id?: string;
}) {
  const order: IssueKind[] = ["error", "test", "warning"];
  const sorted = [...issues].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.from - b.from);
  const summary = countIssues(issues);
  return (
    <section id={id} aria-labelledby="policy-problems-heading" className="space-y-2">
      <div className="flex items-center justify-between gap-3">
        <h3 id="policy-problems-heading" className="text-sm font-semibold">
          Problems
        </h3>
        <p className="text-xs text-zinc-500 dark:text-zinc-400" role="status">
          {checking ? "Checking…" : (summary ?? "")}
        </p>
      </div>
      {sorted.length === 0 ? (
        <p className="flex items-center gap-2 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200">
          <span aria-hidden="true">✓</span> No problems: the policy is valid
          {examples > 0 && `, and ${examples === 1 ? "its example passes" : `all ${examples} of its examples pass`}`}.
        </p>
      ) : (
        <ul aria-label="Problems" className="divide-y divide-zinc-200 overflow-hidden rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
          {sorted.map((issue, index) => {
            const style = KIND_STYLES[issue.kind];
            return (
              <li key={`${issue.kind}-${issue.path}-${index}`} data-testid="policy-problem" data-kind={issue.kind}>
                <button
                  type="button"
                  onClick={() => onSelect(issue)}
                  className="flex w-full items-start gap-3 bg-white px-3 py-2 text-left text-sm hover:bg-zinc-50 dark:bg-zinc-900 dark:hover:bg-zinc-800/60"
                >
                  <span aria-hidden="true" className={`mt-0.5 w-4 shrink-0 text-center font-bold ${style.className}`}>
                    {style.icon}
                  </span>
                  <span className="min-w-0 flex-1">
                    <span className="sr-only">{style.label}: </span>
                    <IssueText text={issue.message} />
                    <span className="mt-0.5 block font-mono text-xs text-zinc-500 dark:text-zinc-400">
                      Line {issue.line}, column {issue.column}
                      {issue.path && <> · {issue.path}</>}
                    </span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
