import { createHash, randomBytes } from "node:crypto";

// The secrets Portcullis hands OAuth clients: authorization codes, access tokens ("pco_at_") and refresh tokens
// ("pco_rt_"), each 32 random bytes in base64url, like grant keys (lib/grants/grant-key.ts). Only their SHA-256
// digest is stored: they are high-entropy, so a slow hash would add nothing. The prefixes let the gateway tell an
// OAuth access token from a grant key ("pcg_") without a database round trip.

export const ACCESS_TOKEN_PREFIX = "pco_at_";
export const REFRESH_TOKEN_PREFIX = "pco_rt_";

const ACCESS_TOKEN_PATTERN = /^pco_at_[A-Za-z0-9_-]{43}$/;
const REFRESH_TOKEN_PATTERN = /^pco_rt_[A-Za-z0-9_-]{43}$/;
const CODE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type OAuthTokenKind = "access" | "refresh";

export interface GeneratedSecret {
  value: string;
  hash: string;
}

export function hashOAuthSecret(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

function generate(prefix: string): GeneratedSecret {
  const value = prefix + randomBytes(32).toString("base64url");
  return { value, hash: hashOAuthSecret(value) };
}

export const generateAuthorizationCode = (): GeneratedSecret => generate("");
export const generateOAuthToken = (kind: OAuthTokenKind): GeneratedSecret => generate(kind === "access" ? ACCESS_TOKEN_PREFIX : REFRESH_TOKEN_PREFIX);

/** Which kind of token this string has the shape of, or null when it is neither (then it was never issued). */
export function oauthTokenKind(value: string): OAuthTokenKind | null {
  if (ACCESS_TOKEN_PATTERN.test(value)) return "access";
  if (REFRESH_TOKEN_PATTERN.test(value)) return "refresh";
  return null;
}

export const looksLikeAuthorizationCode = (value: string): boolean => CODE_PATTERN.test(value);
