// What the audit trail keeps of a call's arguments: their names and a digest, never their values.
import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/policy/canonical-json";

export interface ArgumentDigest {
  /** Top-level argument names, sorted by code unit. */
  names: string[];
  /** Hex SHA-256 of the arguments' canonical JSON: equal for equal arguments whatever their key order. */
  sha256: string;
}

/**
 * Names and digest of a call's arguments. No arguments and `{}` digest the same, as MCP treats them the same. The
 * digest proves which arguments were sent when someone holds them; it does not hide a value that can be guessed
 * (a boolean, a short enum), so treat it as an identifier, not as encryption.
 */
export function argumentDigest(args: Readonly<Record<string, unknown>> | undefined): ArgumentDigest {
  const value = args ?? {};
  const names = Object.keys(value).filter((name) => value[name] !== undefined).sort();
  const sha256 = createHash("sha256").update(canonicalJson(value), "utf8").digest("hex");
  return { names, sha256 };
}
