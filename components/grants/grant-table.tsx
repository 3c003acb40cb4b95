"use client";

import Link from "next/link";
import { useState } from "react";
import { RelativeTime } from "@/components/relative-time";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { GrantOAuthClients } from "@/components/grants/grant-oauth-clients";
import { useRevokeGrant, type GrantView } from "@/lib/query-hooks/grants";
import type { ServerView } from "@/lib/query-hooks/servers";

/** The workspace's grants, newest first, with the servers each reaches and a way to revoke it. */
export function GrantTable({ grants, servers }: { grants: readonly GrantView[]; servers: readonly ServerView[] }) {
  const revoke = useRevokeGrant();
  const [revoking, setRevoking] = useState<GrantView | null>(null);
  const serverNames = new Map(servers.map((s) => [s.id, s.name]));

  function close() {
    setRevoking(null);
    revoke.reset();
  }

  return (
    <Card>
      <div className="relative overflow-x-auto">
        <table className="w-full text-left text-sm" aria-label="Grants">
          <thead className="border-b border-zinc-200 text-xs tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
            <tr>
              <th className="py-2.5 pr-4 pl-5 font-medium whitespace-nowrap">Name</th>
              <th className="py-2.5 pr-4 font-medium whitespace-nowrap">Servers</th>
              <th className="py-2.5 pr-4 font-medium whitespace-nowrap">Key</th>
              <th className="py-2.5 pr-4 font-medium whitespace-nowrap">Created</th>
              <th className="py-2.5 pr-4 font-medium whitespace-nowrap">Last used</th>
              <th className="py-2.5 pr-4 font-medium whitespace-nowrap">Status</th>
              <th className="py-2.5 pr-5 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {grants.map((grant) => (
              <tr key={grant.id} data-testid="grant-row" className={grant.revokedAt ? "text-zinc-500 dark:text-zinc-400" : ""}>
                <td className="py-3 pr-4 pl-5 align-top break-words">
                  <span className="font-medium">{grant.name}</span>
                  {grant.oauthClients.length > 0 && <GrantOAuthClients clients={grant.oauthClients} />}
                </td>
                <td className="py-3 pr-4 align-top">
                  {grant.serverIds.length === 0 ? (
                    <span className="text-zinc-500 dark:text-zinc-400">None: its servers were removed</span>
                  ) : (
                    <ul className="space-y-0.5">
                      {grant.serverIds.map((id) => (
                        <li key={id}>
                          <Link href={`/servers/${id}`} className="whitespace-nowrap text-indigo-600 hover:underline dark:text-indigo-400">
                            {serverNames.get(id) ?? "Unknown server"}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="py-3 pr-4 align-top font-mono text-xs whitespace-nowrap text-zinc-500 dark:text-zinc-400">
                  {grant.oauthClientId ? (
                    <Badge tone="indigo" title="Made on the consent page: only its OAuth client's tokens use it">
                      OAuth
                    </Badge>
                  ) : (
                    `${grant.keyPrefix}…`
                  )}
                </td>
                <td className="py-3 pr-4 align-top whitespace-nowrap" title={`Created by ${grant.createdBy}`}>
                  <RelativeTime value={grant.createdAt} />
                </td>
                <td className="py-3 pr-4 align-top whitespace-nowrap">{grant.lastUsedAt ? <RelativeTime value={grant.lastUsedAt} /> : "Never"}</td>
                <td className="py-3 pr-4 align-top whitespace-nowrap">
                  {grant.revokedAt ? (
                    <>
                      <Badge>Revoked</Badge>
                      <RelativeTime value={grant.revokedAt} className="mt-1 block text-xs text-zinc-500 dark:text-zinc-400" />
                    </>
                  ) : (
                    <Badge tone="green" dot>
                      Active
                    </Badge>
                  )}
                </td>
                <td className="py-3 pr-5 text-right align-top">
                  {!grant.revokedAt && (
                    <Button variant="danger" size="sm" aria-label={`Revoke ${grant.name}`} onClick={() => setRevoking(grant)}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke ${revoking?.name ?? "this grant"}?`}
        confirmLabel="Revoke grant"
        pending={revoke.isPending}
        onCancel={close}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSuccess: close })}
      >
        <p>{revoking && revokeConsequence(revoking)}</p>
        {revoke.isError && <Alert tone="error">{revoke.error.message}</Alert>}
      </ConfirmDialog>
    </Card>
  );
}

/** What revoking stops: the key, and the tokens of every OAuth client that signed in with the grant. */
function revokeConsequence(grant: GrantView): string {
  const names = grant.oauthClients.map((c) => c.name);
  const clients = names.length === 0 ? "" : names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  const what = grant.oauthClientId
    ? `The OAuth tokens of ${clients || "its client"} stop`
    : clients
      ? `Its key (${grant.keyPrefix}…) and the OAuth tokens of ${clients} stop`
      : `Its key (${grant.keyPrefix}…) stops`;
  return `${what} working on their next request, on every server it reaches. An agent still using it is refused until it is given another grant. This cannot be undone.`;
}
