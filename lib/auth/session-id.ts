import { createHash, randomBytes } from "node:crypto";

// A session's id: 32 random bytes, carried inside the signed session cookie. Only its SHA-256 digest is stored, so
// the table alone cannot be turned back into live cookies (the id is high-entropy: a slow hash adds nothing).

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function generateSessionId(): { id: string; hash: string } {
  const id = randomBytes(32).toString("base64url");
  return { id, hash: hashSessionId(id) };
}

export function hashSessionId(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

export function looksLikeSessionId(value: unknown): value is string {
  return typeof value === "string" && SESSION_ID_PATTERN.test(value);
}
