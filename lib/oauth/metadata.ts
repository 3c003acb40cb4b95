import type { OAuthMetadata, OAuthProtectedResourceMetadata } from "@modelcontextprotocol/sdk/shared/auth.js";
import { SCOPES_SUPPORTED } from "@/lib/oauth/scope";

// The two documents an MCP client reads to sign in, and the 401 header that points it to them. Each gateway URL is
// an OAuth protected resource (RFC 9728) whose one authorization server is Portcullis itself (RFC 8414), at
// `issuer`: the console's public origin, without a trailing slash.

/** RFC 9728 §3.1: the well-known path goes between the host and the resource's path. */
export function protectedResourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === "/" ? "" : url.pathname;
  return `${url.origin}/.well-known/oauth-protected-resource${path}`;
}

/** RFC 8414 §3: likewise for the issuer (which has no path here). */
export function authorizationServerMetadataUrl(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname === "/" ? "" : url.pathname;
  return `${url.origin}/.well-known/oauth-authorization-server${path}`;
}

/** The protected resource metadata of one gateway URL; `resource` is that URL exactly as clients are given it. */
export function protectedResourceMetadata(resource: string, issuer: string, resourceName?: string): OAuthProtectedResourceMetadata {
  return {
    resource,
    authorization_servers: [issuer],
    scopes_supported: [...SCOPES_SUPPORTED],
    bearer_methods_supported: ["header"],
    ...(resourceName ? { resource_name: resourceName } : {}),
  };
}

/** Portcullis's authorization server metadata. */
export function authorizationServerMetadata(issuer: string): OAuthMetadata {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    registration_endpoint: `${issuer}/register`,
    revocation_endpoint: `${issuer}/revoke`,
    scopes_supported: [...SCOPES_SUPPORTED],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    client_id_metadata_document_supported: true,
    // Every redirect back to the client carries `iss` (authorization-request.ts), against mix-up attacks.
    authorization_response_iss_parameter_supported: true,
  };
}

/** RFC 6750 §3: error_description is printable ASCII without `"` or `\`; anything else is replaced. */
const quotable = (text: string) => text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, "'");

/**
 * The WWW-Authenticate value of a gateway 401 (RFC 6750 §3, RFC 9728 §5.1). With no token sent it carries no error
 * attribute; with a refused token, `error="invalid_token"` and a description the client can show.
 */
export function wwwAuthenticate(options: { resourceMetadataUrl: string; error?: "invalid_token"; errorDescription?: string }): string {
  const parts = [`resource_metadata="${quotable(options.resourceMetadataUrl)}"`, `scope="${SCOPES_SUPPORTED.join(" ")}"`];
  if (options.error) {
    parts.push(`error="${options.error}"`);
    if (options.errorDescription) parts.push(`error_description="${quotable(options.errorDescription.slice(0, 300))}"`);
  }
  return `Bearer ${parts.join(", ")}`;
}
