import { createHash, randomBytes } from "node:crypto";

// Grant keys: "pcg_" + 32 random bytes in base64url, mirroring personal access tokens (lib/auth/access-token.ts).
// Only the SHA-256 digest is stored; the first characters are kept to tell keys apart in the console.

export const GRANT_KEY_PREFIX = "pcg_";
const GRANT_KEY_PATTERN = /^pcg_[A-Za-z0-9_-]{43}$/;

export function generateGrantKey(): { key: string; hash: string; prefix: string } {
  const key = GRANT_KEY_PREFIX + randomBytes(32).toString("base64url");
  return { key, hash: hashGrantKey(key), prefix: key.slice(0, 12) };
}

export function hashGrantKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function looksLikeGrantKey(value: string): boolean {
  return GRANT_KEY_PATTERN.test(value);
}
