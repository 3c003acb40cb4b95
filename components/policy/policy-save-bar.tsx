"use client";

import type { FormEvent } from "react";
import { IssueText } from "@/components/policy/issue-text";
import type { EditorIssue } from "@/components/policy/policy-text";
import type { PolicyDraft } from "@/components/policy/use-policy-draft";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ApiProblem } from "@/lib/query-hooks/api-fetch";

/** The bar under the builder and the JSON view: what the last save did or why it was refused, and saving a version. */
export function PolicySaveBar({ draft, onShowIssue }: { draft: PolicyDraft; onShowIssue: (issue: EditorIssue) => void }) {
  const { save, saved, refusedIssues, errorCount, active } = draft;
  const saveProblem = save.error instanceof ApiProblem ? save.error.problem : null;
  const messageError = save.error instanceof ApiProblem ? save.error.fieldError("message") : undefined;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    draft.submit();
  }

  return (
    <div className="sticky bottom-0 z-10 -mx-6 border-t border-zinc-200 bg-zinc-50/95 px-6 py-4 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/95">
      <div className="space-y-3" aria-live="polite">
        {saved && (
          <Alert tone="success" title={`Saved version ${saved.saved.version}`}>
            It is the active policy now.
            {saved.tests.passed > 0 && ` ${saved.tests.passed === 1 ? "Its example passed." : `All ${saved.tests.passed} examples passed.`}`}
            {saved.warnings.length > 0 && ` ${saved.warnings.length === 1 ? "1 warning" : `${saved.warnings.length} warnings`} remain: see the JSON view.`}
          </Alert>
        )}
        {saveProblem && saveProblem.status !== 409 && !messageError && (
          <Alert tone="error" title={saveProblem.code === "policy_tests_failed" ? "Not saved: the policy’s examples fail" : "The policy was not saved"}>
            <p>
              {/* The located list below says the same, with where: the detail would only repeat it. */}
              {refusedIssues.length > 0 ? (
                refusedIssues.length === 1 ? "Fix this, then save again:" : `Fix these ${refusedIssues.length}, then save again:`
              ) : (
                <IssueText text={saveProblem.detail} />
              )}
            </p>
            {refusedIssues.length > 0 && (
              <ul className="mt-2 space-y-1" aria-label="Why the save was refused">
                {refusedIssues.map((issue, index) => (
                  <li key={index}>
                    <button type="button" className="text-left underline decoration-dotted underline-offset-2" onClick={() => onShowIssue(issue)}>
                      Line {issue.line}, column {issue.column}
                    </button>
                    : <IssueText text={issue.message} />
                  </li>
                ))}
              </ul>
            )}
          </Alert>
        )}
      </div>
      <form onSubmit={onSubmit} className="mt-3 flex flex-wrap items-start gap-3 first:mt-0" noValidate>
        <div className="min-w-64 flex-1 space-y-1">
          <label htmlFor="policy-save-message" className="sr-only">
            What this version changes
          </label>
          <input
            id="policy-save-message"
            value={draft.message}
            onChange={(event) => draft.setMessage(event.target.value)}
            maxLength={500}
            placeholder="What does this version change? e.g. Allow reads, cap writes"
            aria-invalid={messageError ? true : undefined}
            aria-describedby={messageError ? "policy-save-message-error" : undefined}
            className={`block h-10 w-full rounded-md border bg-white px-3 text-sm shadow-xs placeholder:text-zinc-400 dark:bg-zinc-900 ${
              messageError ? "border-red-500" : "border-zinc-300 dark:border-zinc-700"
            }`}
          />
          {messageError && (
            <p id="policy-save-message-error" className="text-sm text-red-600 dark:text-red-400">
              {messageError}
              {errorCount > 0 && ` The policy also has ${errorCount === 1 ? "an error" : `${errorCount} errors`} to fix: see Problems.`}
            </p>
          )}
        </div>
        <Button type="submit" loading={save.isPending} disabled={!draft.dirty && active !== null}>
          {active ? `Save as version ${draft.activeVersion + 1}` : "Save version 1"}
        </Button>
      </form>
    </div>
  );
}
