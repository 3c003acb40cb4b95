import { describe, expect, it } from "vitest";
import { isGatewayPath } from "@/lib/gateway/node-adapter";

describe("what the server hands to the gateway", () => {
  it.each<[string, boolean]>([
    ["/gateway/abc/mcp", true],
    ["/gateway/abc/mcp?x=1", true],
    ["/register?client=x", true],
    ["/.well-known/oauth-authorization-server?x", true],
    ["/servers", false],
    ["/api/health", false],
    ["/.well-known/security.txt", false],
  ])("the server hands %s to the gateway: %s", (url, expected) => {
    expect(isGatewayPath(url)).toBe(expected);
  });
});
