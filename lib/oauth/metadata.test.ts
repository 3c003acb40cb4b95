import { extractWWWAuthenticateParams } from "@modelcontextprotocol/sdk/client/auth.js";
import { OAuthMetadataSchema, OAuthProtectedResourceMetadataSchema } from "@modelcontextprotocol/sdk/shared/auth.js";
import { describe, expect, it } from "vitest";
import {
  authorizationServerMetadata,
  authorizationServerMetadataUrl,
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
  wwwAuthenticate,
} from "@/lib/oauth/metadata";

const ISSUER = "https://portcullis.example.com";
const RESOURCE = "https://portcullis.example.com/gateway/0b8f2f0e-6a7b-4a57-9a43-2d3c1b6e9f10/mcp";

describe("protected resource metadata (RFC 9728)", () => {
  it("names the gateway URL exactly and Portcullis as its authorization server", () => {
    const document = protectedResourceMetadata(RESOURCE, ISSUER, "files");
    expect(OAuthProtectedResourceMetadataSchema.parse(document)).toEqual(document);
    expect(document).toEqual({
      resource: RESOURCE,
      authorization_servers: [ISSUER],
      scopes_supported: ["mcp"],
      bearer_methods_supported: ["header"],
      resource_name: "files",
    });
  });

  it("is served at the well-known path inserted before the gateway URL's path", () => {
    expect(protectedResourceMetadataUrl(RESOURCE)).toBe(
      "https://portcullis.example.com/.well-known/oauth-protected-resource/gateway/0b8f2f0e-6a7b-4a57-9a43-2d3c1b6e9f10/mcp",
    );
    expect(protectedResourceMetadataUrl("http://127.0.0.1:3000/")).toBe("http://127.0.0.1:3000/.well-known/oauth-protected-resource");
  });
});

describe("authorization server metadata (RFC 8414)", () => {
  const document = authorizationServerMetadata(ISSUER);

  it("passes the SDK's schema unchanged", () => {
    expect(OAuthMetadataSchema.parse(document)).toEqual(document);
  });

  it("offers the code flow with S256 PKCE only, public clients, metadata documents and registration", () => {
    expect(document).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      registration_endpoint: `${ISSUER}/register`,
      revocation_endpoint: `${ISSUER}/revoke`,
      response_types_supported: ["code"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["none"],
      client_id_metadata_document_supported: true,
    });
  });

  it("is served at the issuer's well-known path", () => {
    expect(authorizationServerMetadataUrl(ISSUER)).toBe(`${ISSUER}/.well-known/oauth-authorization-server`);
  });
});

describe("WWW-Authenticate on a gateway 401", () => {
  const resourceMetadataUrl = protectedResourceMetadataUrl(RESOURCE);

  it("points to the metadata and names the scope when no token was sent", () => {
    const value = wwwAuthenticate({ resourceMetadataUrl });
    expect(value).toBe(`Bearer resource_metadata="${resourceMetadataUrl}", scope="mcp"`);
    const read = extractWWWAuthenticateParams(new Response(null, { status: 401, headers: { "www-authenticate": value } }));
    expect({ url: read.resourceMetadataUrl?.href, scope: read.scope, error: read.error }).toEqual({ url: resourceMetadataUrl, scope: "mcp", error: undefined });
  });

  it("adds invalid_token and a description when a token was refused, as the SDK client reads it", () => {
    const value = wwwAuthenticate({ resourceMetadataUrl, error: "invalid_token", errorDescription: 'The token "x" expired\r\nSet-Cookie: a=b' });
    expect(value).toBe(
      `Bearer resource_metadata="${resourceMetadataUrl}", scope="mcp", error="invalid_token", error_description="The token 'x' expired''Set-Cookie: a=b"`,
    );
    const read = extractWWWAuthenticateParams(new Response(null, { status: 401, headers: { "www-authenticate": value } }));
    expect({ url: read.resourceMetadataUrl?.href, scope: read.scope, error: read.error }).toEqual({ url: resourceMetadataUrl, scope: "mcp", error: "invalid_token" });
  });
});
