import { createHash, timingSafeEqual } from "node:crypto";
import { InvalidGrantError, InvalidRequestError } from "@modelcontextprotocol/sdk/server/auth/errors.js";

// PKCE (RFC 7636), S256 only. OAuth 2.1 and the MCP authorization spec require S256 wherever the client can compute
// it, and every MCP client can; "plain" would put the verifier itself in the authorization URL, where browser history,
// logs and referrers can read it, so it is refused rather than tolerated.

/** RFC 7636 §4.1: 43 to 128 characters of the unreserved set. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** BASE64URL(SHA-256(verifier)) without padding: always 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export const isCodeVerifier = (value: string): boolean => VERIFIER.test(value);
export const isS256Challenge = (value: string): boolean => S256_CHALLENGE.test(value);

export function s256(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/**
 * Checks an authorization request's code_challenge and code_challenge_method. A missing method means "plain" in
 * RFC 7636, so it is refused like plain. Throws InvalidRequestError saying what to send instead.
 */
export function checkCodeChallenge(challenge: string | null | undefined, method: string | null | undefined): string {
  if (method === "plain") {
    throw new InvalidRequestError('PKCE method "plain" is refused: it exposes the verifier. Send code_challenge_method=S256.');
  }
  if (method === null || method === undefined || method === "") {
    throw new InvalidRequestError("PKCE is required: send code_challenge with code_challenge_method=S256.");
  }
  if (method !== "S256") throw new InvalidRequestError(`PKCE method "${method.slice(0, 20)}" is not supported: send code_challenge_method=S256.`);
  if (!challenge) throw new InvalidRequestError("code_challenge is missing: send the S256 challenge of your code verifier.");
  if (!isS256Challenge(challenge)) {
    throw new InvalidRequestError("code_challenge is not an S256 challenge (43 characters of base64url, no padding).");
  }
  return challenge;
}

/** Throws InvalidRequestError when a token request's code_verifier is missing or not RFC 7636 syntax. */
export function checkVerifierSyntax(verifier: string | null | undefined): asserts verifier is string {
  if (!verifier) throw new InvalidRequestError("code_verifier is missing: send the PKCE verifier this authorization started with.");
  if (!isCodeVerifier(verifier)) {
    throw new InvalidRequestError("code_verifier is malformed: it must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_' and '~'.");
  }
}

/**
 * Checks a token request's code_verifier against the challenge stored with the code, in constant time. Throws
 * InvalidRequestError for a missing or malformed verifier, InvalidGrantError when it does not match.
 */
export function checkCodeVerifier(verifier: string | null | undefined, challenge: string): void {
  checkVerifierSyntax(verifier);
  const computed = Buffer.from(s256(verifier));
  const expected = Buffer.from(challenge);
  if (computed.length !== expected.length || !timingSafeEqual(computed, expected)) {
    throw new InvalidGrantError("code_verifier does not match the code_challenge of the authorization request.");
  }
}
