import { describe, expect, it } from "vitest";
import { imitatedMethod, MCP_METHODS, parseExtraMethods, unknownMethodMessage } from "@/lib/mcp/mcp-methods";

describe("imitatedMethod", () => {
  it.each([
    ["Tools/call", "tools/call"],
    ["TOOLS/CALL", "tools/call"],
    ["tools/call ", "tools/call"],
    [" tools/call", "tools/call"],
    ["tools/call\u200b", "tools/call"],
    ["tools/\u200dcall", "tools/call"],
    ["\ufefftools/call", "tools/call"],
    ["tools/call\t", "tools/call"],
    ["tools\\call", "tools/call"],
    ["tools\uff0fcall", "tools/call"],
    ["ｔｏｏｌｓ/call", "tools/call"],
    ["tools/ca\u00adll", "tools/call"],
    ["Initialize", "initialize"],
    ["notifications/Cancelled", "notifications/cancelled"],
  ])("%j imitates %s", (method, known) => {
    expect(imitatedMethod(method)).toBe(known);
    expect(unknownMethodMessage(method)).toContain(`is not the MCP method ${known}`);
  });

  it.each(["tools/call", "tools/list", "notifications/initialized", "vendor/extension", "tools/calls", ""])("%j imitates nothing", (method) => {
    expect(imitatedMethod(method)).toBeNull();
  });

  it("knows every method of the SDK's own client", () => {
    for (const method of ["initialize", "tools/call", "tools/list", "resources/read", "prompts/get", "completion/complete", "logging/setLevel", "ping", "server/discover"]) {
      expect(MCP_METHODS.has(method)).toBe(true);
    }
  });
});

describe("parseExtraMethods", () => {
  it("reads a comma-separated list", () => {
    expect(parseExtraMethods(undefined)).toEqual([]);
    expect(parseExtraMethods(" vendor/a , vendor/b,,")).toEqual(["vendor/a", "vendor/b"]);
  });

  it("refuses an extra method that imitates an MCP one", () => {
    expect(() => parseExtraMethods("vendor/a,Tools/call")).toThrow(/"Tools\/call", which imitates the MCP method tools\/call/);
  });
});
