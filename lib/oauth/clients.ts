import type { Queryable } from "@/lib/db/queryable";
import type { ClientMetadata } from "@/lib/oauth/client-metadata";

// The oauth_clients table: clients that registered themselves (RFC 7591) and cached Client ID Metadata Documents.

export type OAuthClientKind = "registered" | "metadata_document";

export interface OAuthClientRecord {
  clientId: string;
  kind: OAuthClientKind;
  clientName: string | null;
  clientUri: string | null;
  logoUri: string | null;
  redirectUris: string[];
  metadata: ClientMetadata;
  createdAt: Date;
  /** For a metadata document: when it was fetched, and until when the cached copy is used. Null for registered clients. */
  fetchedAt: Date | null;
  expiresAt: Date | null;
}

export const CLIENT_COLUMNS = `client_id, kind, client_name, client_uri, logo_uri, redirect_uris, metadata, created_at, fetched_at, expires_at`;

export type ClientRow = {
  client_id: string;
  kind: OAuthClientKind;
  client_name: string | null;
  client_uri: string | null;
  logo_uri: string | null;
  redirect_uris: string[] | null;
  metadata: ClientMetadata;
  created_at: Date;
  fetched_at: Date | null;
  expires_at: Date | null;
};

export function toClientRecord(row: ClientRow): OAuthClientRecord {
  return {
    clientId: row.client_id,
    kind: row.kind,
    clientName: row.client_name,
    clientUri: row.client_uri,
    logoUri: row.logo_uri,
    redirectUris: row.redirect_uris ?? [],
    metadata: row.metadata,
    createdAt: row.created_at,
    fetchedAt: row.fetched_at,
    expiresAt: row.expires_at,
  };
}

/** The stored client with this id (a cached metadata document may be stale: see resolveClient), or null. */
export async function findClient(db: Queryable, clientId: string): Promise<OAuthClientRecord | null> {
  const { rows } = await db.query<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM oauth_clients WHERE client_id = $1`, [clientId]);
  return rows[0] ? toClientRecord(rows[0]) : null;
}
