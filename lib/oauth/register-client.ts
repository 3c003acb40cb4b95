import { randomUUID } from "node:crypto";
import { CustomOAuthError, InvalidClientMetadataError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import type { OAuthClientInformationFull } from "@modelcontextprotocol/sdk/shared/auth.js";
import type { Queryable } from "@/lib/db/queryable";
import { checkClientMetadata } from "@/lib/oauth/client-metadata";
import { SCOPES_SUPPORTED } from "@/lib/oauth/scope";

// Dynamic Client Registration (RFC 7591) for public clients, for the MCP clients that do not use Client ID Metadata
// Documents yet. Anyone may register: the route in front must bound the request body and rate-limit it. The client
// gets no secret (it proves itself with PKCE), and an id Portcullis makes, which is never a URL, so it cannot be
// mistaken for a metadata document's.

/** RFC 7591 §3.2.2's error for a redirect URI that cannot be registered. */
export class InvalidRedirectUriError extends CustomOAuthError {
  constructor(message: string) {
    super("invalid_redirect_uri", message);
  }
}

/**
 * Registers a client from its metadata (the request's JSON body) and returns its client information (RFC 7591 §3.2.1).
 * Throws InvalidRedirectUriError or InvalidClientMetadataError with a sentence saying what to change.
 */
export async function registerClient(db: Queryable, body: unknown, now = new Date()): Promise<OAuthClientInformationFull> {
  const check = checkClientMetadata(body);
  if (!check.ok) {
    throw check.field === "redirect_uris" ? new InvalidRedirectUriError(check.message) : new InvalidClientMetadataError(check.message);
  }
  const { metadata } = check;
  const clientId = randomUUID();
  await db.query(
    `INSERT INTO oauth_clients (client_id, kind, client_name, client_uri, logo_uri, redirect_uris, metadata, created_at)
     VALUES ($1, 'registered', $2, $3, $4, $5::text[], $6::jsonb, $7)`,
    [clientId, metadata.client_name ?? null, metadata.client_uri ?? null, metadata.logo_uri ?? null, metadata.redirect_uris, JSON.stringify(metadata), now],
  );
  return { ...metadata, scope: SCOPES_SUPPORTED.join(" "), client_id: clientId, client_id_issued_at: Math.floor(now.getTime() / 1000) };
}
