import Link from "next/link";
import { ConsentClient } from "@/components/oauth/consent-client";
import { ConsentForm } from "@/components/oauth/consent-form";
import { Card } from "@/components/ui/card";
import type { ConsentView } from "@/lib/oauth/consents";

const heading = "text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400";

/** The consent page: who is asking, for which server, and what it gets (the form). */
export function ConsentPage({ view, email }: { view: ConsentView; email: string }) {
  const { client, server } = view;
  return (
    <div>
      <Card className="overflow-hidden">
        <div className="border-b border-zinc-200 px-6 py-5 dark:border-zinc-800">
          <h1 className="text-xl font-semibold tracking-tight break-words">
            Allow {client.name} to use {server.name}?
          </h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            An MCP client asks to call this server&apos;s tools through Portcullis. Every call it makes is checked against the server&apos;s policy.
          </p>
        </div>

        <section aria-labelledby="consent-client-heading" className="space-y-3 border-b border-zinc-200 px-6 py-5 dark:border-zinc-800">
          <h2 id="consent-client-heading" className={heading}>
            Who is asking
          </h2>
          <ConsentClient client={client} redirect={view.redirect} />
        </section>

        <section aria-labelledby="consent-server-heading" className="space-y-2 border-b border-zinc-200 px-6 py-5 text-sm dark:border-zinc-800">
          <h2 id="consent-server-heading" className={heading}>
            Which server
          </h2>
          <p>
            <Link href={`/servers/${server.id}`} target="_blank" className="text-base font-semibold text-indigo-600 hover:underline dark:text-indigo-400">
              {server.name}
            </Link>
          </p>
          <p className="font-mono text-xs break-all text-zinc-500 dark:text-zinc-400" data-testid="consent-resource">
            {server.gatewayUrl}
          </p>
          <p className="text-zinc-600 dark:text-zinc-400">
            {server.policyVersion !== null
              ? `Its policy (version ${server.policyVersion}) decides every call; tools it does not allow stay hidden from the client.`
              : "It has no policy yet, so the gateway hides all of its tools until you write one."}
          </p>
        </section>

        <ConsentForm consentId={view.consentId} csrfToken={view.csrfToken} serverName={server.name} newGrantName={view.newGrantName} grants={view.grants} />
      </Card>
      <p className="mt-4 text-center text-xs text-zinc-500 dark:text-zinc-400">
        Signed in to Portcullis as {email}. The client will appear on your{" "}
        <Link href="/grants" target="_blank" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Grants page
        </Link>
        , where you can revoke it at any time.
      </p>
    </div>
  );
}
