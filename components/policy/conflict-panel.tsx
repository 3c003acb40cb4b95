"use client";

import { IssueText } from "@/components/policy/issue-text";
import { TextDiff } from "@/components/policy/text-diff";
import { RelativeTime } from "@/components/relative-time";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import type { PolicyVersionView } from "@/lib/query-hooks/policies";

/**
 * A save refused because someone saved a newer version since the edit began. Nothing is lost: your text stays
 * here to copy or compare, and you choose to load the newest version or to save yours over it knowingly.
 */
export function ConflictPanel({
  mine,
  detail,
  newest,
  editorHasMine,
  saving,
  onLoadNewest,
  onRestoreMine,
  onSaveMine,
  onDismiss,
}: {
  mine: string;
  detail: string;
  newest: PolicyVersionView | null;
  editorHasMine: boolean;
  saving: boolean;
  onLoadNewest: () => void;
  onRestoreMine: () => void;
  onSaveMine: () => void;
  onDismiss: () => void;
}) {
  return (
    <section
      role="alert"
      aria-labelledby="policy-conflict-heading"
      className="space-y-4 rounded-lg border border-amber-300 bg-amber-50 p-5 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <h2 id="policy-conflict-heading" className="text-base font-semibold">
            {newest ? `Version ${newest.version} was saved while you were editing` : "A newer version was saved while you were editing"}
          </h2>
          <p>
            <IssueText text={detail} />
          </p>
          {newest && (
            <p className="text-amber-900/80 dark:text-amber-200/80">
              Version {newest.version} by {newest.createdBy}, <RelativeTime value={newest.createdAt} />: “{newest.message}”
            </p>
          )}
        </div>
        <Button variant="ghost" size="sm" onClick={onDismiss}>
          Dismiss
        </Button>
      </div>
      <div className="flex flex-wrap gap-2">
        <CopyButton value={mine} label="Copy my changes" />
        {editorHasMine ? (
          <Button variant="secondary" size="sm" onClick={onLoadNewest} disabled={!newest}>
            {newest ? `Load version ${newest.version} (my text stays here)` : "Loading the newest version…"}
          </Button>
        ) : (
          <Button variant="secondary" size="sm" onClick={onRestoreMine}>
            Put my text back in the editor
          </Button>
        )}
        <Button size="sm" onClick={onSaveMine} loading={saving} disabled={!newest}>
          {newest ? `Save mine as version ${newest.version + 1}` : "Save mine"}
        </Button>
      </div>
      {newest && (
        <div className="space-y-1 text-zinc-900 dark:text-zinc-100">
          <p className="text-xs font-medium text-amber-900 dark:text-amber-200">Your text compared with version {newest.version} (+ your lines, − theirs):</p>
          <TextDiff before={newest.text} after={mine} label={`Your text compared with version ${newest.version}`} />
        </div>
      )}
    </section>
  );
}
