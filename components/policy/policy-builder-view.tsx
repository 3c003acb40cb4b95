"use client";

import { PolicyBuilder } from "@/components/policy/policy-builder";
import type { BuilderParse, EditorIssue } from "@/components/policy/policy-text";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import type { PolicyDocument } from "@/lib/policy";
import type { ToolSummary } from "@/lib/query-hooks/servers";

/** The builder tab: the visual builder on the parsed document, or what to do when the JSON cannot be shown. */
export function PolicyBuilderView({
  builder,
  tools,
  serverName,
  issues,
  onChange,
  onShowIssue,
  onOpenJson,
}: {
  builder: BuilderParse | null;
  tools: ToolSummary[];
  serverName: string;
  issues: EditorIssue[];
  onChange: (doc: PolicyDocument) => void;
  onShowIssue: (issue: EditorIssue) => void;
  onOpenJson: () => void;
}) {
  if (builder?.ok) {
    return <PolicyBuilder doc={builder.document} tools={tools} serverName={serverName} issues={issues} onChange={onChange} onShowIssue={onShowIssue} />;
  }
  return (
    <EmptyState title="Fix the JSON errors to use the builder">
      <p>
        The JSON has {builder && !builder.ok && builder.errorCount > 1 ? `${builder.errorCount} errors` : "an error"} the builder cannot show. Nothing is lost: fix{" "}
        {builder && !builder.ok && builder.errorCount > 1 ? "them" : "it"} in the JSON view and the builder opens the same document.
      </p>
      <div className="pt-2">
        <Button onClick={onOpenJson}>Open the JSON view</Button>
      </div>
    </EmptyState>
  );
}
