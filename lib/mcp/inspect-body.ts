// From a POST body to what the gateway must do with each message: answer it, check it against the policy, or
// forward it. Every tools/call becomes a check or an error, whether it comes alone or inside a batch.
import {
  JSON_RPC_ERROR,
  TOOLS_CALL,
  invalidRequest,
  jsonRpcError,
  methodOf,
  parseJsonRpcBody,
  type JsonRpcErrorResponse,
  type JsonRpcMessage,
  type JsonRpcRequest,
  type ParsedMessage,
} from "@/lib/mcp/json-rpc";
import { planBatch } from "@/lib/mcp/protocol-version";
import { MCP_METHODS, unknownMethodMessage } from "@/lib/mcp/mcp-methods";
import { extractToolCall, type ToolCallParams } from "@/lib/mcp/tool-call";

export type InboundItem =
  /** A tools/call the policy must decide before anything is forwarded. */
  | { kind: "tool_call"; request: JsonRpcRequest; call: ToolCallParams }
  /** Any other valid message; forward the parsed `message` re-serialised, never the raw body. */
  | { kind: "forward"; message: JsonRpcMessage }
  /** Answered by the gateway with `error` and never forwarded; `silent` for a notification, which gets no answer. */
  | { kind: "reject"; method: string | undefined; error: JsonRpcErrorResponse; silent?: boolean };

export interface InspectOptions {
  /** Methods forwarded besides MCP's own (PORTCULLIS_GATEWAY_EXTRA_METHODS). */
  extraMethods?: ReadonlySet<string>;
}

export type InboundPlan =
  /** The whole body is refused (not JSON, an empty or forbidden batch): answer `error` with HTTP `status`. */
  | { kind: "refuse"; status: 400; error: JsonRpcErrorResponse }
  | { kind: "messages"; batch: boolean; items: InboundItem[] };

/** One classified message to what the gateway does with it. */
export function inboundItem(item: ParsedMessage, options: InspectOptions = {}): InboundItem {
  if (item.kind === "invalid") return { kind: "reject", method: undefined, error: item.error };
  if (item.kind !== "response" && !MCP_METHODS.has(item.message.method) && !options.extraMethods?.has(item.message.method)) {
    const id = item.kind === "request" ? item.message.id : null;
    const error = jsonRpcError(id, JSON_RPC_ERROR.METHOD_NOT_FOUND, unknownMethodMessage(item.message.method));
    return { kind: "reject", method: item.message.method, error, silent: item.kind === "notification" };
  }
  if (item.kind === "notification" && item.message.method === TOOLS_CALL) {
    // classifyMessage never yields one; kept so a hand-built item cannot slip a call through as a notification.
    return { kind: "reject", method: TOOLS_CALL, error: invalidRequest(null, "tools/call must be a request with an `id`.") };
  }
  if (item.kind !== "request") return { kind: "forward", message: item.message };
  const extraction = extractToolCall(item.message);
  if (extraction === null) return { kind: "forward", message: item.message };
  if (!extraction.ok) return { kind: "reject", method: methodOf(item), error: extraction.error };
  return { kind: "tool_call", request: item.message, call: { name: extraction.name, arguments: extraction.arguments } };
}

/**
 * Parses a body and plans it for the negotiated protocol version (null when unknown: then a batch is refused).
 * JSON.parse keeps the last of duplicate keys while other parsers may keep the first, so the gateway must forward
 * the messages it checked, re-serialised, and never the bytes it received.
 */
export function inspectBody(text: string, version: string | null | undefined, options: InspectOptions = {}): InboundPlan {
  const body = parseJsonRpcBody(text);
  if (body.kind === "error") return { kind: "refuse", status: 400, error: body.error };
  if (body.kind === "single") return { kind: "messages", batch: false, items: [inboundItem(body.item, options)] };
  const plan = planBatch(body.items, version);
  if (plan.kind === "refuse") return plan;
  return { kind: "messages", batch: true, items: plan.items.map((item) => inboundItem(item, options)) };
}
