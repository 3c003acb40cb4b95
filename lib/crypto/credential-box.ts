import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// AES-256-GCM for upstream credentials at rest. The associated data names the row the secret belongs to
// (workspace and server), so a ciphertext copied into another row fails to decrypt instead of leaking.
// Format: "v1." + base64url(iv[12] | tag[16] | ciphertext).

const VERSION = "v1";

export function sealCredential(key: Buffer, plaintext: string, boundTo: { workspaceId: string; serverId: string }): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad(boundTo));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url")}`;
}

export function openCredential(key: Buffer, sealed: string, boundTo: { workspaceId: string; serverId: string }): string {
  const [version, payload] = sealed.split(".");
  if (version !== VERSION || !payload) throw new Error("Unknown credential format.");
  const bytes = Buffer.from(payload, "base64url");
  if (bytes.length < 28) throw new Error("Credential ciphertext is truncated.");
  const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
  decipher.setAAD(aad(boundTo));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
}

function aad({ workspaceId, serverId }: { workspaceId: string; serverId: string }): Buffer {
  return Buffer.from(`portcullis:upstream-credentials:${workspaceId}:${serverId}`, "utf8");
}
