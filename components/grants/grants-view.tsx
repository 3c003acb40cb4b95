"use client";

import Link from "next/link";
import { useState } from "react";
import { LoadError } from "@/components/load-error";
import { CreateGrantForm } from "@/components/grants/create-grant-form";
import { GrantTable } from "@/components/grants/grant-table";
import { NewGrantNotice } from "@/components/grants/new-grant-notice";
import { RegisterServerLink } from "@/components/servers/register-server-link";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingText } from "@/components/ui/loading-text";
import { TitledCard } from "@/components/ui/titled-card";
import { useGrants, type CreatedGrant } from "@/lib/query-hooks/grants";
import { useServers, type ServerView } from "@/lib/query-hooks/servers";

const GRANT_EXPLAINED =
  "A grant is a key for one agent or client, such as Claude Code on one laptop. It names the servers it may reach through their gateway URLs; each call is still checked against the server's policy. Its key is shown once, Portcullis keeps only a hash, and you can revoke it at any time. MCP clients that sign in with OAuth get a grant on the consent page, and appear here too.";

/** The Grants page: create a grant, see its key once, list and revoke grants. */
export function GrantsView({ preselectedServerId }: { preselectedServerId?: string }) {
  const servers = useServers();
  const grants = useGrants();
  const [created, setCreated] = useState<CreatedGrant | null>(null);

  if (servers.isPending || grants.isPending) return <LoadingText>Loading your grants…</LoadingText>;
  if (grants.isError) return <LoadError title="Your grants could not be loaded" error={grants.error} onRetry={() => void grants.refetch()} />;
  if (servers.isError) return <LoadError title="Your servers could not be loaded" error={servers.error} onRetry={() => void servers.refetch()} />;

  const preselected = servers.data.some((s) => s.id === preselectedServerId) ? [preselectedServerId as string] : [];
  return (
    <div className="space-y-8">
      {created && (
        <NewGrantNotice name={created.grant.name} grantKey={created.key} onDismiss={() => setCreated(null)}>
          <ConnectLinks serverIds={created.grant.serverIds} servers={servers.data} />
        </NewGrantNotice>
      )}
      {servers.data.length === 0 ? (
        <EmptyState title={grants.data.length === 0 ? "No grants yet" : "No servers to grant"} icon={<KeyIcon />}>
          <p>{GRANT_EXPLAINED}</p>
          <p className="font-medium text-zinc-800 dark:text-zinc-200">Your workspace has no servers yet: register one, then create a grant for it.</p>
          <div className="pt-3">
            <RegisterServerLink />
          </div>
        </EmptyState>
      ) : (
        <TitledCard title="Create a grant" description="One grant per agent or client, so each can be revoked on its own.">
          <CreateGrantForm
            // A new preselection (from a server's page) starts a fresh form.
            key={preselected.join()}
            servers={servers.data}
            initialServerIds={preselected}
            autoFocus={preselected.length > 0}
            onCreated={setCreated}
          />
        </TitledCard>
      )}
      {grants.data.length > 0 ? (
        <section aria-labelledby="grant-list-heading" className="space-y-3">
          <h2 id="grant-list-heading" className="text-base font-semibold">
            Grants
          </h2>
          <GrantTable grants={grants.data} servers={servers.data} />
        </section>
      ) : (
        servers.data.length > 0 && (
          <EmptyState title="No grants yet" icon={<KeyIcon />}>
            <p>{GRANT_EXPLAINED}</p>
            <p>Create one above, then copy its key and the gateway URL into your client from the server&apos;s Connect section.</p>
          </EmptyState>
        )
      )}
    </div>
  );
}

function ConnectLinks({ serverIds, servers }: { serverIds: readonly string[]; servers: readonly ServerView[] }) {
  const reached = servers.filter((s) => serverIds.includes(s.id));
  if (reached.length === 0) return null;
  return (
    <p>
      Next, give your client the gateway URL with this key: ready-made settings are in the Connect section of{" "}
      {reached.map((server, index) => (
        <span key={server.id}>
          {index > 0 && (index === reached.length - 1 ? " and " : ", ")}
          <Link href={`/servers/${server.id}#connect`} className="font-medium underline">
            {server.name}
          </Link>
        </span>
      ))}
      . Paste the key where they say &lt;your grant key&gt;.
    </p>
  );
}

function KeyIcon() {
  return (
    <svg viewBox="0 0 24 24" className="h-10 w-10" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <circle cx="8" cy="15" r="4" />
      <path d="m10.8 12.2 8.7-8.7M16 7l2.5 2.5M18.5 4.5 21 7" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
