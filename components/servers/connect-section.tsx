"use client";

import Link from "next/link";
import { useState } from "react";
import { CreateGrantForm } from "@/components/grants/create-grant-form";
import { NewGrantNotice } from "@/components/grants/new-grant-notice";
import { ConnectSnippetTabs } from "@/components/servers/connect-snippet-tabs";
import { OAuthConnectNote } from "@/components/servers/oauth-connect-note";
import { useGatewayOrigin } from "@/components/servers/use-gateway-origin";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { TitledCard } from "@/components/ui/titled-card";
import { gatewayUrl } from "@/lib/gateway/gateway-url";
import { GRANT_KEY_PLACEHOLDER } from "@/lib/gateway/connect-snippets";
import { useGrants, type CreatedGrant } from "@/lib/query-hooks/grants";
import { usePolicy } from "@/lib/query-hooks/policies";
import { useServers, type ServerView } from "@/lib/query-hooks/servers";

const linkClass = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";

/** How to point an agent at this server through Portcullis: its gateway URL, a grant key, and client settings. */
export function ConnectSection({ server, publicOrigin }: { server: ServerView; publicOrigin: string | null }) {
  const origin = useGatewayOrigin(publicOrigin);
  const [creating, setCreating] = useState(false);
  // Only in this component's memory: a reload forgets the key, as it must.
  const [created, setCreated] = useState<CreatedGrant | null>(null);
  const url = origin ? gatewayUrl(origin, server.id) : null;
  const keyForThisServer = created?.grant.serverIds.includes(server.id) ? created.key : null;

  return (
    <div id="connect" className="scroll-mt-8">
      <TitledCard
        title="Connect an agent"
        description="Give your MCP client this gateway URL: it signs in with OAuth, or sends a grant key. Every call is checked against this server's policy before it reaches the server."
      >
        <div className="space-y-6">
          <div>
            <p className="text-sm font-medium text-zinc-800 dark:text-zinc-200" id="gateway-url-label">
              Gateway URL
            </p>
            <div className="mt-1.5 flex flex-wrap items-center gap-2">
              <code
                id="gateway-url"
                data-testid="gateway-url"
                aria-labelledby="gateway-url-label"
                className="min-w-0 flex-1 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-sm break-all dark:border-zinc-800 dark:bg-zinc-950"
              >
                {url ?? "…"}
              </code>
              {url && <CopyButton value={url} targetId="gateway-url" label="Copy URL" />}
            </div>
            <p className="mt-1.5 text-xs text-zinc-500 dark:text-zinc-400">
              MCP over Streamable HTTP. The client signs in with OAuth, or sends a grant key in the header{" "}
              <code className="rounded bg-zinc-100 px-1 py-0.5 dark:bg-zinc-800">Authorization: Bearer pcg_…</code>
            </p>
          </div>

          <OAuthConnectNote />

          <NoPolicyNote serverId={server.id} />

          {created ? (
            <NewGrantNotice name={created.grant.name} grantKey={created.key} onDismiss={() => setCreated(null)}>
              {keyForThisServer ? (
                <p>The settings below hold this key now. When you leave or reload this page, they show {GRANT_KEY_PLACEHOLDER} again.</p>
              ) : (
                <p>This grant does not reach {server.name}, so the settings below keep the placeholder.</p>
              )}
            </NewGrantNotice>
          ) : creating ? (
            <InlineGrantForm
              server={server}
              onCancel={() => setCreating(false)}
              onCreated={(grant) => {
                setCreating(false);
                setCreated(grant);
              }}
            />
          ) : (
            <GrantSummary serverId={server.id} onCreate={() => setCreating(true)} />
          )}

          {url && <ConnectSnippetTabs serverName={server.name} url={url} grantKey={keyForThisServer} />}
        </div>
      </TitledCard>
    </div>
  );
}

/** Which grants reach this server, and the way to create one. */
function GrantSummary({ serverId, onCreate }: { serverId: string; onCreate: () => void }) {
  const grants = useGrants();
  const active = grants.data?.filter((g) => !g.revokedAt && g.serverIds.includes(serverId)) ?? [];
  let text: string;
  if (grants.isPending) text = "A grant key that names this server goes where the settings say " + GRANT_KEY_PLACEHOLDER + ".";
  else if (grants.isError) text = "Your grants could not be loaded. Create one for this server, or manage them on the Grants page.";
  else if (active.length === 0) text = "No grant reaches this server yet: create one, then copy its key into the settings below.";
  else
    text = `${active.length === 1 ? `1 active grant (${active[0]!.name}) reaches` : `${active.length} active grants reach`} this server. Its key is shown only when it is created: use the one you saved, or create a grant for a new client.`;
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-zinc-200 px-4 py-3 dark:border-zinc-800">
      <p className="min-w-0 flex-1 text-sm text-zinc-700 dark:text-zinc-300" data-testid="grant-summary">
        {text}
      </p>
      <div className="flex items-center gap-3">
        <Link href={`/grants?server=${serverId}`} className={`text-sm ${linkClass}`}>
          Manage grants
        </Link>
        <Button variant="secondary" size="sm" onClick={onCreate}>
          Create a grant for this server
        </Button>
      </div>
    </div>
  );
}

function InlineGrantForm({ server, onCancel, onCreated }: { server: ServerView; onCancel: () => void; onCreated: (created: CreatedGrant) => void }) {
  const servers = useServers();
  // The servers list is usually cached already; until it arrives, this server alone is enough to start.
  const choices = servers.data && servers.data.some((s) => s.id === server.id) ? servers.data : [server];
  return (
    <section aria-labelledby="inline-grant-heading" className="rounded-md border border-zinc-200 p-4 dark:border-zinc-800">
      <h3 id="inline-grant-heading" className="mb-4 text-sm font-semibold">
        Create a grant for {server.name}
      </h3>
      <CreateGrantForm servers={choices} initialServerIds={[server.id]} onCreated={onCreated} onCancel={onCancel} autoFocus />
    </section>
  );
}

function NoPolicyNote({ serverId }: { serverId: string }) {
  const policy = usePolicy(serverId);
  if (!policy.data || policy.data.active) return null;
  return (
    <p className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200">
      This server has no policy yet, so the gateway hides all of its tools from every agent.{" "}
      <Link href={`/servers/${serverId}/policy`} className="font-medium underline">
        Write a policy
      </Link>{" "}
      to let agents call them.
    </p>
  );
}
