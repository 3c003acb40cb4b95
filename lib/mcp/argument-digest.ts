// What the audit trail keeps of a call's arguments: their names and a digest, never their values.
import crypto from "node:crypto";
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
  return { names, sha256: sha256Hex(canonicalJson(value)) };
}

/**
 * Hex SHA-256 of UTF-8 text. Node's one-shot `crypto.hash` (20.12 and later) makes no Hash object, which the
 * gateway would otherwise make for every call; older Node 20 releases take the longer way to the same digest.
 */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha256", text, "hex")
    : (text) => crypto.createHash("sha256").update(text, "utf8").digest("hex");
