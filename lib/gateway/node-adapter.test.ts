import { describe, expect, it } from "vitest";
import { isGatewayPath } from "@/lib/gateway/node-adapter";

describe("what the server hands to the gateway", () => {
  it.each<[string, boolean]>([
    ["/gateway/abc/mcp", true],
    ["/gateway/abc/mcp?x=1", true],
    // The OAuth authorization server is the app's (Next.js routes): its endpoints and documents are not the gateway's.
    ["/register?client=x", false],
    ["/.well-known/oauth-authorization-server?x", false],
    ["/.well-known/oauth-protected-resource/gateway/abc/mcp", false],
    // Other places clients look for OAuth documents get the gateway's JSON answer, never a console page.
    ["/.well-known/openid-configuration", true],
    ["/gateway/abc/mcp/.well-known/openid-configuration", true],
    ["/servers", false],
    ["/api/health", false],
    ["/.well-known/security.txt", false],
  ])("the server hands %s to the gateway: %s", (url, expected) => {
    expect(isGatewayPath(url)).toBe(expected);
  });
});
