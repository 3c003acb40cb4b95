import { DecisionBadge } from "@/components/policy/decision-badge";
import { IssueText } from "@/components/policy/issue-text";
import type { Simulated } from "@/components/policy/simulation";
import { Card } from "@/components/ui/card";

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

/** What a simulated call would get: the decision, the rule, the sentence the agent reads, violations and counters. */
export function SimulationResult({ simulated }: { simulated: Simulated }) {
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
