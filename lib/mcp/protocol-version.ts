// The MCP protocol revisions the gateway speaks, and what each allows in a POST body.
import { invalidRequest, methodOf, type JsonRpcErrorResponse, type JsonRpcRequest, type ParsedMessage } from "@/lib/mcp/json-rpc";

export const PROTOCOL_VERSION_2025_03_26 = "2025-03-26";
export const PROTOCOL_VERSION_2025_06_18 = "2025-06-18";
export const PROTOCOL_VERSION_2025_11_25 = "2025-11-25";
/** The stateless revision: no initialize handshake, no sessions; every request names its version. */
export const PROTOCOL_VERSION_2026_07_28 = "2026-07-28";

/** Oldest first. */
export const PROTOCOL_VERSIONS = [
  PROTOCOL_VERSION_2025_03_26,
  PROTOCOL_VERSION_2025_06_18,
  PROTOCOL_VERSION_2025_11_25,
  PROTOCOL_VERSION_2026_07_28,
] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];

export const LATEST_PROTOCOL_VERSION: ProtocolVersion = PROTOCOL_VERSION_2026_07_28;

export function isProtocolVersion(value: unknown): value is ProtocolVersion {
  return typeof value === "string" && (PROTOCOL_VERSIONS as readonly string[]).includes(value);
}

/** Where a 2026-07-28 request names its own protocol version: the per-request `_meta` envelope. */
export const PROTOCOL_VERSION_META_KEY = "io.modelcontextprotocol/protocolVersion";

/**
 * The protocol version one request is made under: the version its own `_meta` envelope names (from 2026-07-28 on,
 * every request carries one), else the exchange's (the MCP-Protocol-Version header, or the session's), else null.
 */
export function requestProtocolVersion(request: JsonRpcRequest, exchange: string | null): string | null {
  const params = request.params;
  const meta = params && !Array.isArray(params) ? params._meta : undefined;
  const named = typeof meta === "object" && meta !== null ? (meta as Record<string, unknown>)[PROTOCOL_VERSION_META_KEY] : undefined;
  return typeof named === "string" ? named : exchange;
}

/**
 * Whether a result must name its kind in `resultType` ("complete" for a finished call): required from 2026-07-28
 * on, where clients refuse a result without it; the same date comparison the SDKs use for that era. Earlier
 * revisions have no such field, so it is left out there.
 */
export function resultTypeRequired(version: string | null | undefined): boolean {
  return typeof version === "string" && version >= PROTOCOL_VERSION_2026_07_28;
}

/**
 * Whether a POST body may be a JSON-RPC batch (an array) under a negotiated version. Batching came with 2025-03-26
 * and was removed in the next revision: "Remove support for JSON-RPC batching (PR #416)",
 * https://modelcontextprotocol.io/specification/2025-06-18/changelog; from then on the body "MUST be a single
 * JSON-RPC request, notification, or response" (basic/transports). 2025-11-25 and 2026-07-28 did not bring it back.
 * An unknown version allows nothing (fail closed).
 */
export function batchingAllowed(version: string | null | undefined): boolean {
  return version === PROTOCOL_VERSION_2025_03_26;
}

/** What to do with a batch: refuse the whole body (HTTP 400, nothing forwarded), or check each element. */
export type BatchPlan =
  | { kind: "refuse"; status: 400; error: JsonRpcErrorResponse }
  | { kind: "check"; items: ParsedMessage[] };

/**
 * Decides a batch body. Where batching is allowed (2025-03-26) the elements are handed back so each one is checked
 * on its own; the rules of that revision still apply to the batch as a whole: an `initialize` request "MUST NOT be
 * part of a JSON-RPC batch" (basic/lifecycle), and a batch holds either requests and notifications or responses,
 * never both (basic/transports).
 */
export function planBatch(items: readonly ParsedMessage[], version: string | null | undefined): BatchPlan {
  if (!batchingAllowed(version)) {
    const named = version ? `protocol version ${version}` : "this session's protocol version";
    return refuse(`JSON-RPC batches (a JSON array body) are not supported in MCP ${named}; send each message in its own request.`);
  }
  if (items.some((item) => methodOf(item) === "initialize")) {
    return refuse("the initialize request must not be part of a JSON-RPC batch; send it on its own.");
  }
  const responses = items.some((item) => item.kind === "response");
  const calls = items.some((item) => item.kind === "request" || item.kind === "notification");
  if (responses && calls) return refuse("a batch must hold either requests and notifications or responses, not both.");
  return { kind: "check", items: [...items] };
}

function refuse(why: string): BatchPlan {
  return { kind: "refuse", status: 400, error: invalidRequest(null, why) };
}
