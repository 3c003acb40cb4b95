import { explainRule } from "@/components/tools/rule-explanation";
import { CopyButton } from "@/components/ui/copy-button";

/** The policy document we recommend for the tool, ready to paste, and what it does in one sentence. */
export function RecommendedRule({
  toolId,
  rule,
  policy,
  level,
}: {
  toolId: string;
  /** The tool's risk level, for the sentence. */
  level: string;
  rule: Record<string, unknown>;
  policy: Record<string, unknown>;
}) {
  const json = JSON.stringify(policy, null, 2);
  const codeId = `recommended-policy-${toolId}`;
  return (
    <div className="space-y-3">
      <p className="text-sm">{explainRule(rule, policy.default, level)}</p>
      <div className="overflow-hidden rounded-md border border-zinc-200 dark:border-zinc-800">
        <div className="flex items-center justify-between gap-2 border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 dark:border-zinc-800 dark:bg-zinc-900">
          <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">policy.json</span>
          <CopyButton value={json} targetId={codeId} label="Copy JSON" />
        </div>
        <pre className="overflow-x-auto bg-white p-4 font-mono text-xs leading-5 dark:bg-zinc-950">
          <code id={codeId} data-testid="recommended-policy">
            {json}
          </code>
        </pre>
      </div>
    </div>
  );
}
