import { createHash, randomBytes } from "node:crypto";

// Personal access tokens: "pcp_" + 32 random bytes in base64url. Only the SHA-256 digest is stored (the token
// is high-entropy, so a slow hash adds nothing); the first characters are kept to tell tokens apart.

export const TOKEN_PREFIX = "pcp_";
const TOKEN_PATTERN = /^pcp_[A-Za-z0-9_-]{43}$/;

export function generateAccessToken(): { token: string; hash: string; prefix: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return { token, hash: hashAccessToken(token), prefix: token.slice(0, 12) };
}

export function hashAccessToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function looksLikeAccessToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}
