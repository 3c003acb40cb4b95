import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openCredential, sealCredential } from "@/lib/crypto/credential-box";

const key = randomBytes(32);
const row = { workspaceId: "ws-1", serverId: "srv-1" };

describe("credential box", () => {
  it("round-trips, with a fresh nonce every time, and never contains the plaintext", () => {
    const a = sealCredential(key, '{"authorization":"Bearer s3cret"}', row);
    const b = sealCredential(key, '{"authorization":"Bearer s3cret"}', row);
    expect(a).not.toBe(b);
    expect(a).not.toContain("s3cret");
    expect(openCredential(key, a, row)).toBe('{"authorization":"Bearer s3cret"}');
  });

  it.each([
    ["another server", { workspaceId: "ws-1", serverId: "srv-2" }],
    ["another workspace", { workspaceId: "ws-2", serverId: "srv-1" }],
  ])("refuses a ciphertext copied to %s", (_name, other) => {
    const sealed = sealCredential(key, "token", row);
    expect(() => openCredential(key, sealed, other)).toThrow();
  });

  it("refuses another key and any tampering", () => {
    const sealed = sealCredential(key, "token", row);
    expect(() => openCredential(randomBytes(32), sealed, row)).toThrow();
    const bytes = Buffer.from(sealed.slice(3), "base64url");
    bytes[bytes.length - 1]! ^= 1;
    expect(() => openCredential(key, `v1.${bytes.toString("base64url")}`, row)).toThrow();
    expect(() => openCredential(key, "v2.abc", row)).toThrow(/Unknown credential format/);
  });
});
