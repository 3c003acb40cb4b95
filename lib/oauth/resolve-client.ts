import { InvalidClientError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import type { Queryable } from "@/lib/db/queryable";
import { isMetadataDocumentClientId, resolveClientMetadataDocument, type ClientMetadataDocumentOptions } from "@/lib/oauth/client-metadata-document";
import { findClient, type OAuthClientRecord } from "@/lib/oauth/clients";

/**
 * The client an authorization request names: a metadata document (fetched or cached) when the id is a URL, else a
 * client that registered itself. Throws InvalidClientError when there is none, saying what the client can do.
 */
export async function resolveClient(db: Queryable, clientId: string, options: ClientMetadataDocumentOptions = {}): Promise<OAuthClientRecord> {
  if (isMetadataDocumentClientId(clientId)) return resolveClientMetadataDocument(db, clientId, options);
  const client = clientId.length <= 200 ? await findClient(db, clientId) : null;
  if (!client || client.kind !== "registered") {
    throw new InvalidClientError("This client id is unknown to Portcullis: register the client again (dynamic client registration) or use a client id metadata document URL.");
  }
  return client;
}
