"use client";

import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";

/** The new key, shown this once with a copy button; what to do with it comes as children. */
export function NewGrantNotice({ name, grantKey, onDismiss, children }: { name: string; grantKey: string; onDismiss: () => void; children?: ReactNode }) {
  return (
    <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950/50">
      <p className="text-sm font-medium text-emerald-900 dark:text-emerald-100">
        Grant “{name}” created. Copy its key now: you will not see it again.
      </p>
      <p className="mt-1 text-sm text-emerald-900/80 dark:text-emerald-100/80">
        Portcullis keeps only a hash of it. If it is lost, revoke the grant and create another.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code
          id="new-grant-key"
          data-testid="new-grant-key"
          className="min-w-0 flex-1 rounded border border-emerald-200 bg-white px-3 py-2 font-mono text-sm break-all dark:border-emerald-900 dark:bg-zinc-950"
        >
          {grantKey}
        </code>
        <CopyButton value={grantKey} targetId="new-grant-key" label="Copy key" />
        <Button variant="ghost" size="sm" onClick={onDismiss}>
          Done
        </Button>
      </div>
      {children && <div className="mt-3 text-sm text-emerald-900 dark:text-emerald-100">{children}</div>}
    </div>
  );
}
