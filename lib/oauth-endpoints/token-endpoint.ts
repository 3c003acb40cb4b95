import { InvalidClientError, InvalidRequestError, UnsupportedGrantTypeError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import type { OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { getPool } from "@/lib/db/client";
import { exchangeAuthorizationCode } from "@/lib/oauth/authorization-codes";
import { refreshAccessToken, revokeToken } from "@/lib/oauth/tokens";
import { CORS_HEADERS, oauthErrorResponse, oauthJson, preflight, readFormBody, toOAuthError } from "@/lib/oauth-endpoints/responses";

// POST /token (RFC 6749 §3.2, OAuth 2.1) and POST /revoke (RFC 7009). Form bodies; public clients name themselves
// with client_id in the body and prove the code is theirs with the PKCE verifier, so there is no client secret to
// check. Every answer is `Cache-Control: no-store` and readable from any origin (no cookie is ever involved).

/** Portcullis registers public clients only: a client secret in an Authorization header is a client it does not have. */
function refuseClientAuthentication(request: Request): void {
  if (request.headers.get("authorization")) {
    throw new InvalidClientError(
      'Portcullis clients are public: send client_id in the body and no client secret (token_endpoint_auth_method "none"), with the PKCE code_verifier.',
    );
  }
}

export async function tokenEndpoint(request: Request): Promise<Response> {
  try {
    refuseClientAuthentication(request);
    const params = await readFormBody(request);
    const grantType = params.get("grant_type");
    let tokens: OAuthTokens;
    if (grantType === "authorization_code") {
      tokens = await exchangeAuthorizationCode(getPool(), {
        code: params.get("code"),
        clientId: params.get("client_id"),
        redirectUri: params.get("redirect_uri"),
        codeVerifier: params.get("code_verifier"),
        resource: params.get("resource"),
      });
    } else if (grantType === "refresh_token") {
      tokens = await refreshAccessToken(getPool(), {
        refreshToken: params.get("refresh_token"),
        clientId: params.get("client_id"),
        resource: params.get("resource"),
        scope: params.get("scope"),
      });
    } else if (!grantType) {
      throw new InvalidRequestError("grant_type is missing: send authorization_code or refresh_token.");
    } else {
      throw new UnsupportedGrantTypeError(`grant_type "${grantType.slice(0, 50)}" is not supported: Portcullis issues tokens for authorization_code and refresh_token.`);
    }
    return oauthJson(tokens);
  } catch (error) {
    const refusal = toOAuthError(error, "token");
    return oauthErrorResponse(refusal, refusal instanceof InvalidClientError ? { "www-authenticate": 'Basic realm="portcullis"' } : {});
  }
}

/** RFC 7009: 200 with an empty body whether or not the token was known (a dead token is what the client wants). */
export async function revokeEndpoint(request: Request): Promise<Response> {
  try {
    refuseClientAuthentication(request);
    const params = await readFormBody(request);
    await revokeToken(getPool(), { token: params.get("token"), clientId: params.get("client_id") });
    return new Response(null, { status: 200, headers: { "cache-control": "no-store", ...CORS_HEADERS } });
  } catch (error) {
    return oauthErrorResponse(toOAuthError(error, "revoke"));
  }
}

export const tokenPreflight = () => preflight("POST");
