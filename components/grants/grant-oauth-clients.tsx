import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import type { GrantView } from "@/lib/query-hooks/grants";

/** Under a grant's name: the OAuth clients that signed in with it, their domain, and when each last got a token. */
export function GrantOAuthClients({ clients }: { clients: GrantView["oauthClients"] }) {
  return (
    <ul className="mt-1 space-y-1" aria-label="OAuth clients">
      {clients.map((client) => (
        <li key={client.clientId} data-testid="grant-oauth-client" className="flex flex-wrap items-center gap-x-2 gap-y-0.5 text-xs text-zinc-600 dark:text-zinc-400">
          <Badge tone="indigo">OAuth</Badge>
          <span className="font-medium text-zinc-800 dark:text-zinc-200">{client.name}</span>
          <span title={client.registered ? "It registered itself: the name is its own word" : "Portcullis read its client document on this domain"}>
            {client.domain}
            {client.registered && " (unverified)"}
          </span>
          <span>
            {client.lastTokenAt ? (
              <>
                token <RelativeTime value={client.lastTokenAt} />
              </>
            ) : (
              "no token left"
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}
