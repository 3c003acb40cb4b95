"use client";

import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";

export function NewTokenNotice({ name, token, onDismiss }: { name: string; token: string; onDismiss: () => void }) {
  return (
    <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950/50">
      <p className="text-sm font-medium text-emerald-900 dark:text-emerald-100">
        Token “{name}” created. Copy it now: it will not be shown again.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code
          id="new-token-value"
          data-testid="new-token"
          className="min-w-0 flex-1 rounded border border-emerald-200 bg-white px-3 py-2 font-mono text-sm break-all dark:border-emerald-900 dark:bg-zinc-950"
        >
          {token}
        </code>
        <CopyButton value={token} targetId="new-token-value" />
        <Button variant="ghost" size="sm" onClick={onDismiss}>
          Done
        </Button>
      </div>
    </div>
  );
}
