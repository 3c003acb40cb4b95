import { getPool } from "@/lib/db/client";
import { displayClient } from "@/lib/oauth/client-display";
import type { OAuthClientKind } from "@/lib/oauth/clients";

// The OAuth clients of a workspace's grants, for the Grants page: the client a grant was made for on the consent page
// (grants.oauth_client_id), and any client that signed in with an existing grant (its tokens name the grant). When
// each last got a token (a sign-in or a refresh: access tokens last an hour, so a client in use refreshes about that
// often) comes from the tokens themselves; one statement for the whole page.

export interface GrantOAuthClient {
  clientId: string;
  name: string;
  /** The verified domain of a metadata-document client, else where its first redirect URI goes. */
  domain: string;
  /** It registered itself (RFC 7591): its name is its own word. */
  registered: boolean;
  /** When it last got a token for this grant (sign-in or refresh); null when it has none left. */
  lastTokenAt: string | null;
}

type Row = {
  grant_id: string;
  client_id: string;
  kind: OAuthClientKind;
  client_name: string | null;
  logo_uri: string | null;
  redirect_uris: string[] | null;
  last_token_at: Date | null;
};

/** Each grant's OAuth clients (most recent token first), for the grants of `workspaceId`, or only `grantIds` when given. */
export async function grantOAuthClients(workspaceId: string, grantIds?: string[]): Promise<Map<string, GrantOAuthClient[]>> {
  const { rows } = await getPool().query<Row>(
    `WITH chosen AS (
       SELECT id, oauth_client_id FROM grants WHERE workspace_id = $1::uuid AND ($2::uuid[] IS NULL OR id = ANY ($2::uuid[]))
     ), pairs AS (
       SELECT id AS grant_id, oauth_client_id AS client_id FROM chosen WHERE oauth_client_id IS NOT NULL
       UNION
       SELECT t.grant_id, t.client_id FROM oauth_tokens t JOIN chosen ON chosen.id = t.grant_id
     )
     SELECT p.grant_id, c.client_id, c.kind, c.client_name, c.logo_uri, c.redirect_uris,
            (SELECT max(t.created_at) FROM oauth_tokens t WHERE t.grant_id = p.grant_id AND t.client_id = p.client_id) AS last_token_at
       FROM pairs p JOIN oauth_clients c ON c.client_id = p.client_id
      ORDER BY last_token_at DESC NULLS LAST, c.client_id`,
    [workspaceId, grantIds ?? null],
  );
  const byGrant = new Map<string, GrantOAuthClient[]>();
  for (const row of rows) {
    const shown = displayClient({
      clientId: row.client_id,
      kind: row.kind,
      clientName: row.client_name,
      logoUri: row.logo_uri,
      redirectUris: row.redirect_uris ?? [],
    });
    const list = byGrant.get(row.grant_id) ?? [];
    list.push({
      clientId: row.client_id,
      name: shown.name,
      domain: shown.domain,
      registered: row.kind === "registered",
      lastTokenAt: row.last_token_at?.toISOString() ?? null,
    });
    byGrant.set(row.grant_id, list);
  }
  return byGrant;
}
