import { describe, expect, it } from "vitest";
import { isOAuthAppPath, isOAuthDiscoveryPath, NO_OAUTH_DOCUMENT_HERE, oauthDiscoveryAnswer } from "@/lib/mcp/oauth-discovery";

describe("where clients look for OAuth", () => {
  it.each<[string, boolean]>([
    ["/.well-known/oauth-protected-resource", true],
    ["/.well-known/oauth-protected-resource/other", true],
    ["/.well-known/oauth-authorization-server/other/path", true],
    ["/.well-known/openid-configuration", true],
    ["/.well-known/openid-configuration/gateway/abc/mcp", true],
    ["/gateway/abc/mcp/.well-known/openid-configuration", true],
    ["/gateway/abc/.well-known/oauth-protected-resource", true],
    // The app's own documents and endpoints (lib/oauth-endpoints) are not answered here.
    ["/.well-known/oauth-protected-resource/gateway/abc/mcp", false],
    ["/.well-known/oauth-authorization-server", false],
    ["/.well-known/oauth-authorization-server/gateway/abc/mcp", false],
    ["/register", false],
    ["/authorize", false],
    ["/token", false],
    ["/revoke", false],
    // The console's own pages and other well-known documents stay the console's.
    ["/.well-known/security.txt", false],
    ["/.well-known/openid-configuration-x", false],
    ["/servers/.well-known/openid-configuration", false],
    ["/register/more", false],
    ["/tokens", false],
    ["/sign-up", false],
    ["/api/v1/tokens", false],
    ["/", false],
  ])("%s: %s", (path, expected) => {
    expect(isOAuthDiscoveryPath(path)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ["/.well-known/oauth-protected-resource/gateway/abc/mcp", true],
    ["/.well-known/oauth-authorization-server", true],
    ["/.well-known/oauth-authorization-server/gateway/abc/mcp", true],
    ["/authorize", true],
    ["/token", true],
    ["/register", true],
    ["/revoke", true],
    ["/.well-known/oauth-protected-resource", false],
    ["/.well-known/oauth-protected-resource/gateway/abc/mcp/extra", false],
    ["/authorize/consent", false],
  ])("the app serves %s: %s", (path, expected) => {
    expect(isOAuthAppPath(path)).toBe(expected);
  });

  it("answers 404 with an OAuth error body that any origin may read, naming where the documents are", () => {
    const answer = oauthDiscoveryAnswer("GET");
    expect(answer.status).toBe(404);
    expect(answer.headers).toMatchObject({ "content-type": "application/json", "access-control-allow-origin": "*" });
    expect(JSON.parse(answer.body)).toEqual({ error: "invalid_request", error_description: NO_OAUTH_DOCUMENT_HERE });
    expect(NO_OAUTH_DOCUMENT_HERE).toMatch(/\/\.well-known\/oauth-protected-resource\/gateway\/<server id>\/mcp.*Authorization: Bearer pcg_\.\.\..*Grants page/);
  });

  it("answers a browser's preflight so it can read that body", () => {
    expect(oauthDiscoveryAnswer("OPTIONS")).toMatchObject({ status: 204, headers: { "access-control-allow-origin": "*" } });
  });
});
