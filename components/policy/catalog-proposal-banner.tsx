"use client";

import Link from "next/link";
import { useState } from "react";
import { replaceRule } from "@/components/policy/catalog-proposal";
import type { PolicyDraft } from "@/components/policy/use-policy-draft";
import { Button } from "@/components/ui/button";

const link = "font-medium text-indigo-700 underline dark:text-indigo-300";
const box = "rounded-lg border p-4 text-sm";
const info = `${box} border-indigo-200 bg-indigo-50 text-indigo-950 dark:border-indigo-900 dark:bg-indigo-950/50 dark:text-indigo-100`;
const warn = `${box} border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100`;

/**
 * What "Use this policy" did to the draft: the catalog's rule added (unsaved), already there, or in conflict with a
 * rule of the policy's own, which stays until the person chooses the catalog's.
 */
export function CatalogProposalBanner({ draft, toolNames }: { draft: PolicyDraft; toolNames: readonly string[] }) {
  const [choice, setChoice] = useState<"replaced" | "kept" | null>(null);
  const [replaceFailed, setReplaceFailed] = useState(false);
  const proposed = draft.proposed;
  if (!proposed) return null;
  const { tool, rule, source, merge } = proposed;
  const from = (
    <Link href={source.href} className={link}>
      {source.serverTitle ?? source.serverName}
    </Link>
  );
  const toolCode = <code className="font-mono">{tool}</code>;
  const unsaved = " Nothing is saved until you press Save.";
  const unknownTool = !toolNames.includes(tool) && (
    <p className="mt-1">This server does not list a tool named {toolCode} now, so the rule applies only once it does.</p>
  );

  if (merge.kind === "added" || choice === "replaced") {
    return (
      <div role="status" className={info} data-testid="catalog-proposal">
        <p>
          The catalog&rsquo;s recommended rule for {toolCode} (from {from}) is in the draft below.{unsaved}
        </p>
        {merge.kind === "added" && merge.coveredBy && (
          <p className="mt-1">
            Until now the rule <code className="font-mono">{merge.coveredBy}</code> decided calls to {toolCode}; a rule for the exact name takes precedence over
            it.
          </p>
        )}
        {choice === "replaced" && <p className="mt-1">It replaced the policy&rsquo;s own rule for {toolCode}.</p>}
        {unknownTool}
      </div>
    );
  }
  if (merge.kind === "same") {
    return (
      <div role="status" className={info} data-testid="catalog-proposal">
        <p>
          The policy already has the catalog&rsquo;s recommended rule for {toolCode} (from {from}): nothing to add.
        </p>
      </div>
    );
  }
  if (merge.kind === "unreadable") {
    return (
      <div role="alert" className={warn} data-testid="catalog-proposal">
        <p>
          The catalog&rsquo;s rule for {toolCode} could not be added: the policy is not a JSON object with a <code className="font-mono">tools</code> map. Copy
          it from {from}&rsquo;s page instead.
        </p>
      </div>
    );
  }
  if (choice === "kept") {
    return (
      <div role="status" className={info} data-testid="catalog-proposal">
        <p>The policy keeps its own rule for {toolCode}; the catalog&rsquo;s was not added.</p>
      </div>
    );
  }
  return (
    <section role="alert" aria-labelledby="catalog-conflict-heading" className={`${warn} space-y-3`} data-testid="catalog-proposal-conflict">
      <div>
        <h2 id="catalog-conflict-heading" className="text-base font-semibold">
          The policy already has a rule for {toolCode}
        </h2>
        <p className="mt-1">
          It differs from the rule the catalog recommends (from {from}), so the draft keeps yours until you choose.{unsaved}
        </p>
        {unknownTool}
      </div>
      <div className="grid gap-3 md:grid-cols-2">
        <RuleBlock title="The policy's rule" rule={merge.existing} testId="catalog-conflict-mine" />
        <RuleBlock title="The catalog's rule" rule={rule} testId="catalog-conflict-catalog" />
      </div>
      <div className="flex flex-wrap gap-2">
        <Button
          size="sm"
          onClick={() => {
            const next = replaceRule(draft.text, tool, rule);
            setReplaceFailed(next === null);
            if (next === null) return;
            draft.edit(next);
            setChoice("replaced");
          }}
        >
          Use the catalog&rsquo;s rule
        </Button>
        <Button size="sm" variant="secondary" onClick={() => setChoice("kept")}>
          Keep mine
        </Button>
      </div>
      {replaceFailed && <p>The draft is not a JSON object with a tools map right now: fix it in the JSON view, then choose again.</p>}
    </section>
  );
}

function RuleBlock({ title, rule, testId }: { title: string; rule: unknown; testId: string }) {
  return (
    <div>
      <p className="mb-1 text-xs font-semibold tracking-wide uppercase opacity-80">{title}</p>
      <pre className="overflow-x-auto rounded-md border border-amber-200 bg-white p-3 font-mono text-xs text-zinc-900 dark:border-amber-900 dark:bg-zinc-950 dark:text-zinc-100" data-testid={testId}>
        {JSON.stringify(rule, null, 2)}
      </pre>
    </div>
  );
}
