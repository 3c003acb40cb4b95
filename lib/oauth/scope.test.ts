import { describe, expect, it } from "vitest";
import { GATEWAY_SCOPE, parseScope, scopeWithin } from "@/lib/oauth/scope";

describe("scopes", () => {
  it.each([
    [undefined, GATEWAY_SCOPE],
    [null, GATEWAY_SCOPE],
    ["", GATEWAY_SCOPE],
    ["mcp", "mcp"],
    ["mcp  mcp", "mcp"],
  ])("parseScope(%j) is %j", (requested, scope) => {
    expect(parseScope(requested)).toBe(scope);
  });

  it.each(["openid", "mcp admin", "x".repeat(1001)])("refuses %j with invalid_scope", (requested) => {
    expect(() => parseScope(requested)).toThrow(expect.objectContaining({ errorCode: "invalid_scope" }));
  });

  it("names the scope it does not know", () => {
    expect(() => parseScope("mcp admin")).toThrow('Portcullis does not know the scope "admin": ask for "mcp".');
  });

  it.each([
    ["mcp", "mcp", true],
    ["", "mcp", true],
    ["mcp admin", "mcp", false],
  ])("scopeWithin(%j, %j) is %s", (requested, granted, within) => {
    expect(scopeWithin(requested, granted)).toBe(within);
  });
});
