"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Spinner } from "@/components/ui/spinner";
import { useRevokeToken, useTokens } from "@/lib/query-hooks/tokens";
import type { TokenView } from "@/lib/tokens/token-view";

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function formatDate(value: string | null, empty: string) {
  return value ? dateFormat.format(new Date(value)) : empty;
}

function status(token: TokenView): { label: string; className: string } {
  if (token.revokedAt) return { label: "Revoked", className: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400" };
  if (token.expiresAt && new Date(token.expiresAt) < new Date()) {
    return { label: "Expired", className: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300" };
  }
  return { label: "Active", className: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300" };
}

export function TokenTable() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  // Asked in the same dialog as revoking a grant.
  const [revoking, setRevoking] = useState<TokenView | null>(null);

  function close() {
    setRevoking(null);
    revoke.reset();
  }

  if (tokens.isPending) {
    return (
      <p className="flex items-center gap-2 text-sm text-zinc-500">
        <Spinner className="h-4 w-4" /> Loading tokens…
      </p>
    );
  }
  if (tokens.isError) {
    return (
      <Alert tone="error" title="Your tokens could not be loaded">
        {tokens.error.message}{" "}
        <button type="button" className="font-medium underline" onClick={() => void tokens.refetch()}>
          Try again
        </button>
      </Alert>
    );
  }
  if (tokens.data.length === 0) {
    return <p className="text-sm text-zinc-500 dark:text-zinc-400">You have no tokens yet. Create one above to use the API from a script.</p>;
  }
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-zinc-200 text-xs tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <th className="py-2 pr-4 font-medium">Name</th>
            <th className="py-2 pr-4 font-medium">Token</th>
            <th className="py-2 pr-4 font-medium">Created</th>
            <th className="py-2 pr-4 font-medium">Last used</th>
            <th className="py-2 pr-4 font-medium">Expires</th>
            <th className="py-2 pr-4 font-medium">Status</th>
            <th className="py-2 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {tokens.data.map((token) => {
            const state = status(token);
            return (
              <tr key={token.id} data-testid="token-row">
                <td className="py-3 pr-4 font-medium">{token.name}</td>
                <td className="py-3 pr-4 font-mono text-xs text-zinc-500">{token.prefix}…</td>
                <td className="py-3 pr-4 whitespace-nowrap">{formatDate(token.createdAt, "")}</td>
                <td className="py-3 pr-4 whitespace-nowrap">{formatDate(token.lastUsedAt, "Never")}</td>
                <td className="py-3 pr-4 whitespace-nowrap">{formatDate(token.expiresAt, "Never")}</td>
                <td className="py-3 pr-4">
                  <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${state.className}`}>{state.label}</span>
                  {token.revokedAt && <span className="mt-1 block text-xs whitespace-nowrap text-zinc-500 dark:text-zinc-400">{formatDate(token.revokedAt, "")}</span>}
                </td>
                <td className="py-3 text-right">
                  {!token.revokedAt && (
                    <Button variant="danger" size="sm" aria-label={`Revoke ${token.name}`} onClick={() => setRevoking(token)}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke ${revoking?.name ?? "this token"}?`}
        confirmLabel="Revoke token"
        pending={revoke.isPending}
        onCancel={close}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSuccess: close })}
      >
        <p>Anything using it ({revoking?.prefix}…) is refused from its next request. This cannot be undone.</p>
        {revoke.isError && <Alert tone="error">{revoke.error.message}</Alert>}
      </ConfirmDialog>
    </div>
  );
}
