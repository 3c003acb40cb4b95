import { describe, expect, it } from "vitest";
import { generateAuthorizationCode, generateOAuthToken, hashOAuthSecret, looksLikeAuthorizationCode, oauthTokenKind } from "@/lib/oauth/secrets";

describe("OAuth secrets", () => {
  it("mints access tokens, refresh tokens and codes of 32 random bytes, each with its SHA-256", () => {
    const access = generateOAuthToken("access");
    const refresh = generateOAuthToken("refresh");
    const code = generateAuthorizationCode();
    expect(access.value).toMatch(/^pco_at_[A-Za-z0-9_-]{43}$/);
    expect(refresh.value).toMatch(/^pco_rt_[A-Za-z0-9_-]{43}$/);
    expect(code.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const secret of [access, refresh, code]) expect(secret.hash).toBe(hashOAuthSecret(secret.value));
    expect(access.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set([access.value, generateOAuthToken("access").value]).size).toBe(2);
  });

  it.each([
    [generateOAuthToken("access").value, "access"],
    [generateOAuthToken("refresh").value, "refresh"],
    [`pcg_${"a".repeat(43)}`, null],
    [`pco_at_${"a".repeat(42)}`, null],
    [`pco_at_${"a".repeat(43)}=`, null],
    ["", null],
  ])("oauthTokenKind(%j) is %j", (value, kind) => {
    expect(oauthTokenKind(value)).toBe(kind);
  });

  it("tells a code's shape", () => {
    expect(looksLikeAuthorizationCode(generateAuthorizationCode().value)).toBe(true);
    expect(looksLikeAuthorizationCode("short")).toBe(false);
  });
});
