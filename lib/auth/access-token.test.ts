import { describe, expect, it } from "vitest";
import { generateAccessToken, hashAccessToken, looksLikeAccessToken } from "@/lib/auth/access-token";

describe("access tokens", () => {
  it("generates distinct, recognisable tokens whose hash is stored, not the token", () => {
    const a = generateAccessToken();
    const b = generateAccessToken();
    expect(a.token).not.toBe(b.token);
    expect(a.token).toMatch(/^pcp_[A-Za-z0-9_-]{43}$/);
    expect(looksLikeAccessToken(a.token)).toBe(true);
    expect(a.hash).toBe(hashAccessToken(a.token));
    expect(a.hash).not.toContain(a.token.slice(4));
    expect(a.prefix).toBe(a.token.slice(0, 12));
  });

  it.each(["", "pcp_", "pcp_short", "ghp_" + "a".repeat(43), "pcp_" + "a".repeat(42) + "!"])("rejects %j", (value) => {
    expect(looksLikeAccessToken(value)).toBe(false);
  });
});
