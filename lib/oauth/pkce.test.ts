import { describe, expect, it } from "vitest";
import { checkCodeChallenge, checkCodeVerifier, isCodeVerifier, s256 } from "@/lib/oauth/pkce";

// RFC 7636 Appendix B's example.
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

const codeOf = (run: () => unknown) => {
  try {
    run();
    return null;
  } catch (error) {
    return { code: (error as { errorCode?: string }).errorCode, message: (error as Error).message };
  }
};

describe("S256", () => {
  it("computes RFC 7636's example challenge", () => {
    expect(s256(VERIFIER)).toBe(CHALLENGE);
  });

  it("accepts the matching verifier", () => {
    expect(codeOf(() => checkCodeVerifier(VERIFIER, CHALLENGE))).toBeNull();
  });

  it.each([
    ["another valid verifier", "a".repeat(43), "invalid_grant"],
    ["the challenge itself (a plain-method client)", CHALLENGE, "invalid_grant"],
    ["a missing verifier", "", "invalid_request"],
    ["a verifier of 42 characters", VERIFIER.slice(0, 42), "invalid_request"],
    ["a verifier of 129 characters", "a".repeat(129), "invalid_request"],
    ["a verifier with a character outside the unreserved set", `${VERIFIER.slice(0, 42)}+`, "invalid_request"],
  ])("refuses %s", (_label, verifier, code) => {
    expect(codeOf(() => checkCodeVerifier(verifier, CHALLENGE))?.code).toBe(code);
  });

  it.each([
    ["43 characters", "a".repeat(43), true],
    ["128 characters", "~".repeat(128), true],
    ["every unreserved character", `AZaz09-._~${"x".repeat(33)}`, true],
    ["a space", `${"a".repeat(42)} `, false],
    ["non-ASCII", `${"a".repeat(42)}é`, false],
  ])("verifier syntax: %s", (_label, verifier, valid) => {
    expect(isCodeVerifier(verifier)).toBe(valid);
  });
});

describe("the authorization request's challenge", () => {
  it("accepts an S256 challenge", () => {
    expect(checkCodeChallenge(CHALLENGE, "S256")).toBe(CHALLENGE);
  });

  it.each([
    ["plain", CHALLENGE, "plain", /"plain" is refused/],
    ["no method (which RFC 7636 reads as plain)", CHALLENGE, null, /PKCE is required/],
    ["an unknown method", CHALLENGE, "S512", /"S512" is not supported/],
    ["no challenge", null, "S256", /code_challenge is missing/],
    ["a challenge of the wrong length", CHALLENGE.slice(1), "S256", /not an S256 challenge/],
    ["a padded challenge", `${CHALLENGE.slice(0, 42)}=`, "S256", /not an S256 challenge/],
  ])("refuses %s with invalid_request", (_label, challenge, method, message) => {
    const refused = codeOf(() => checkCodeChallenge(challenge, method));
    expect(refused?.code).toBe("invalid_request");
    expect(refused?.message).toMatch(message);
  });
});
