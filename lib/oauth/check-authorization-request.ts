import { InvalidRequestError, InvalidTargetError, OAuthError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import type { Queryable } from "@/lib/db/queryable";
import { readAuthorizationRequest, redirectWithError, type AuthorizationRequest } from "@/lib/oauth/authorization-request";
import type { ClientMetadataDocumentOptions } from "@/lib/oauth/client-metadata-document";
import type { OAuthClientRecord } from "@/lib/oauth/clients";
import { isRegisteredRedirectUri } from "@/lib/oauth/redirect-uri";
import { resolveClient } from "@/lib/oauth/resolve-client";
import { serverIdForResource } from "@/lib/oauth/resource";

// GET /authorize before anyone signs in: what can be known from the request alone. A request without a client id or
// redirect URI, with a client that is unknown, or with a redirect URI the client did not register is shown to the
// person and sent nowhere (no open redirect). Once the redirect URI is verified, anything else wrong goes back to the
// client on it, with the state. Whether the server is the person's is asked after sign-in (openConsent).

export type AuthorizationCheck =
  /** Show this on the page; never redirect. */
  | { outcome: "show"; error: OAuthError }
  /** Send the browser back to the client with an error (the URL carries error, error_description, state and iss). */
  | { outcome: "redirect"; url: string }
  /** A complete request from a known client, for a gateway URL on this origin: sign in, then ask for consent. */
  | { outcome: "consent"; request: AuthorizationRequest; client: OAuthClientRecord; serverId: string };

export async function checkAuthorizationRequest(
  db: Queryable,
  params: URLSearchParams,
  issuer: string,
  options: ClientMetadataDocumentOptions = {},
): Promise<AuthorizationCheck> {
  const read = readAuthorizationRequest(params);
  if (!read.ok) return { outcome: "show", error: read.fatal };

  let client: OAuthClientRecord;
  try {
    client = await resolveClient(db, read.clientId, options);
  } catch (error) {
    if (error instanceof OAuthError) return { outcome: "show", error };
    throw error;
  }
  if (!isRegisteredRedirectUri(client.redirectUris, read.redirectUri)) {
    return {
      outcome: "show",
      error: new InvalidRequestError(
        `The redirect URI ${read.redirectUri.slice(0, 300)} is not one this client registered, so Portcullis will not send you there. The client must use one of the redirect URIs it registered, exactly as written.`,
      ),
    };
  }
  const back = (error: OAuthError): AuthorizationCheck => ({ outcome: "redirect", url: redirectWithError(read.redirectUri, issuer, error, read.state) });
  if (read.problem || !read.request) return back(read.problem ?? new InvalidRequestError("The authorization request is incomplete."));

  const serverId = serverIdForResource(read.request.resource, issuer);
  if (!serverId) {
    return back(
      new InvalidTargetError(
        `resource ${read.request.resource.slice(0, 300)} is not a gateway URL of this Portcullis: it must be ${issuer}/gateway/<server id>/mcp, exactly as the console shows it.`,
      ),
    );
  }
  return { outcome: "consent", request: read.request, client, serverId };
}
