import { describe, expect, it } from "vitest";
import { normalizeForwardedHeaders } from "@/lib/http/client-address";

describe("normalizeForwardedHeaders", () => {
  it("ignores client-sent forwarding headers when no proxy is trusted", () => {
    const headers: Record<string, string> = { "x-forwarded-for": "6.6.6.6", "x-forwarded-proto": "https", "x-forwarded-host": "evil" };
    normalizeForwardedHeaders(headers, "::ffff:127.0.0.1", 0);
    expect(headers).toEqual({ "x-forwarded-for": "127.0.0.1" });
  });

  it("takes the address the outermost trusted proxy saw", () => {
    const headers: Record<string, string> = { "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.0.0.2" };
    normalizeForwardedHeaders(headers, "10.0.0.3", 2);
    expect(headers["x-forwarded-for"]).toBe("203.0.113.9");
  });

  it("falls back to the socket when the proxy sent nothing", () => {
    const headers: Record<string, string> = {};
    normalizeForwardedHeaders(headers, "10.0.0.3", 1);
    expect(headers["x-forwarded-for"]).toBe("10.0.0.3");
  });
});
