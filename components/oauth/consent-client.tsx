import { ClientLogo } from "@/components/oauth/client-logo";
import { Badge } from "@/components/ui/badge";
import type { ConsentView } from "@/lib/oauth/consents";

/**
 * Who is asking: the client's name and logo as it gives them, and what Portcullis can vouch for. A metadata-document
 * client's domain is verified (its document was fetched there); a client that registered itself is a stranger's word.
 * Where the code goes is shown, and flagged when it is not the verified domain.
 */
export function ConsentClient({ client, redirect }: Pick<ConsentView, "client" | "redirect">) {
  return (
    <div className="flex items-start gap-4">
      <ClientLogo src={client.logoUri} name={client.name} />
      <div className="min-w-0 space-y-1.5 text-sm">
        <p className="text-base font-semibold break-words" data-testid="client-name">
          {client.name}
        </p>
        {client.verifiedDomain ? (
          <p className="text-zinc-600 dark:text-zinc-400">
            Published by <span className="font-medium text-zinc-900 dark:text-zinc-100">{client.verifiedDomain}</span> (Portcullis read its client
            document there)
          </p>
        ) : (
          <p className="flex flex-wrap items-center gap-2 text-zinc-600 dark:text-zinc-400">
            <Badge tone="amber">Registered itself</Badge>
            <span>Portcullis has not verified who made this client: allow it only if you just started this sign-in in an app you trust.</span>
          </p>
        )}
        <p className="text-zinc-600 dark:text-zinc-400" data-testid="redirect-domain">
          Sends you back to <span className="font-medium text-zinc-900 dark:text-zinc-100">{redirect.host}</span>
          {redirect.loopback && " (an app on this computer)"}
        </p>
        {redirect.mismatch && (
          <p
            role="note"
            data-testid="redirect-mismatch"
            className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-200"
          >
            {redirect.loopback
              ? `The answer goes to an app on this computer, not to ${client.verifiedDomain}. Any app running here could receive it: allow only if you started this sign-in yourself, just now.`
              : `The answer goes to ${redirect.host}, not to ${client.verifiedDomain}, the domain that published this client. Allow only if you know why.`}
          </p>
        )}
      </div>
    </div>
  );
}
