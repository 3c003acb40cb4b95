import { describe, expect, it } from "vitest";
import { gatewayUrl } from "@/lib/gateway/gateway-url";

const id = "3f1c2a9e-7b4d-4e2a-9c1f-0a1b2c3d4e5f";

describe("gatewayUrl", () => {
  it.each([
    ["https://portcullis.example.com", `https://portcullis.example.com/gateway/${id}/mcp`],
    ["https://portcullis.example.com/", `https://portcullis.example.com/gateway/${id}/mcp`],
    ["http://localhost:3000", `http://localhost:3000/gateway/${id}/mcp`],
    ["http://[::1]:3100", `http://[::1]:3100/gateway/${id}/mcp`],
  ])("on %s", (origin, expected) => {
    expect(gatewayUrl(origin, id)).toBe(expected);
  });

  it("keeps an odd id inside its path segment", () => {
    expect(gatewayUrl("https://p.example", "a/../b?c")).toBe("https://p.example/gateway/a%2F..%2Fb%3Fc/mcp");
  });
});
