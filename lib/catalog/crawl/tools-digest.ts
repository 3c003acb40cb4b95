import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/policy/canonical-json";

/**
 * Hex SHA-256 of the canonical JSON (keys in code-unit order, no spaces) of a listing's tools, as stored: equal for
 * the same tools whatever order the server sent their keys in, so two crawls compare by this digest.
 */
export function toolsSha256(tools: readonly Record<string, unknown>[]): string {
  return createHash("sha256").update(canonicalJson(tools), "utf8").digest("hex");
}
