import { getPool } from "@/lib/db/client";
import { gatewayUrl } from "@/lib/gateway/gateway-url";
import { authorizationServerMetadata, protectedResourceMetadata } from "@/lib/oauth/metadata";
import { oauthIssuer } from "@/lib/oauth-endpoints/issuer";
import { oauthJson, preflight, toOAuthError, oauthErrorResponse } from "@/lib/oauth-endpoints/responses";

// The two discovery documents. A gateway URL's protected resource metadata (RFC 9728) lives at
// /.well-known/oauth-protected-resource/gateway/<server id>/mcp; the authorization server's (RFC 8414) at
// /.well-known/oauth-authorization-server, and also under the gateway path, since some clients look for it there first.
// Anyone may read them (browser-based clients included): they say how to sign in, nothing about a workspace.

type ServerContext = { params: Promise<{ server: string }> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function isServer(serverId: string): Promise<boolean> {
  if (!UUID.test(serverId)) return false;
  const { rowCount } = await getPool().query(`SELECT 1 FROM mcp_servers WHERE id = $1::uuid`, [serverId]);
  return rowCount === 1;
}

function noSuchServer(serverId: string): Response {
  return oauthJson(
    {
      error: "not_found",
      error_description: `No Portcullis server has the id ${JSON.stringify(serverId.slice(0, 100))}: a gateway URL is <origin>/gateway/<server id>/mcp, as the server's Connect section in the console shows it.`,
    },
    404,
  );
}

/** GET /.well-known/oauth-protected-resource/gateway/<server id>/mcp */
export async function protectedResourceMetadataEndpoint(request: Request, context: ServerContext): Promise<Response> {
  const { server } = await context.params;
  try {
    if (!(await isServer(server))) return noSuchServer(server);
    const issuer = oauthIssuer(request);
    return oauthJson(protectedResourceMetadata(gatewayUrl(issuer, server), issuer));
  } catch (error) {
    return oauthErrorResponse(toOAuthError(error, "protected resource metadata"));
  }
}

/** GET /.well-known/oauth-authorization-server */
export async function authorizationServerMetadataEndpoint(request: Request): Promise<Response> {
  return oauthJson(authorizationServerMetadata(oauthIssuer(request)));
}

/** GET /.well-known/oauth-authorization-server/gateway/<server id>/mcp: the same document, for a server that exists. */
export async function gatewayAuthorizationServerMetadataEndpoint(request: Request, context: ServerContext): Promise<Response> {
  const { server } = await context.params;
  try {
    if (!(await isServer(server))) return noSuchServer(server);
    return oauthJson(authorizationServerMetadata(oauthIssuer(request)));
  } catch (error) {
    return oauthErrorResponse(toOAuthError(error, "authorization server metadata"));
  }
}

export const metadataPreflight = () => preflight("GET");
