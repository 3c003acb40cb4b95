import { encryptionKey } from "@/lib/env";
import { openCredential, sealCredential } from "@/lib/crypto/credential-box";

// Upstream credentials as the API takes them, as headers for the upstream, and sealed for storage.

export type CredentialsInput = { type: "bearer"; token: string } | { type: "headers"; headers: Record<string, string> };

export function credentialHeaders(input: CredentialsInput | null | undefined): Record<string, string> | undefined {
  if (!input) return undefined;
  return input.type === "bearer" ? { authorization: `Bearer ${input.token}` } : { ...input.headers };
}

export interface StoredCredentials {
  credentialKind: "none" | "bearer" | "headers";
  credentialHeaderNames: string[];
  credentialCiphertext: string | null;
}

export function sealCredentials(input: CredentialsInput | null | undefined, row: { workspaceId: string; serverId: string }): StoredCredentials {
  const headers = credentialHeaders(input);
  if (!input || !headers) return { credentialKind: "none", credentialHeaderNames: [], credentialCiphertext: null };
  return {
    credentialKind: input.type,
    credentialHeaderNames: input.type === "headers" ? Object.keys(headers) : [],
    credentialCiphertext: sealCredential(encryptionKey(), JSON.stringify(headers), row),
  };
}

export function openCredentials(
  ciphertext: string | null,
  row: { workspaceId: string; serverId: string },
): Record<string, string> | undefined {
  if (!ciphertext) return undefined;
  try {
    return JSON.parse(openCredential(encryptionKey(), ciphertext, row)) as Record<string, string>;
  } catch {
    throw new Error(
      "The stored upstream credentials cannot be decrypted (the encryption key changed, or the row was copied). Enter the credentials again.",
    );
  }
}
