// The tool name and arguments of a tools/call request, checked before the policy sees them.
import {
  JSON_RPC_ERROR,
  TOOLS_CALL,
  jsonRpcError,
  type JsonRpcErrorResponse,
  type JsonRpcMessage,
} from "@/lib/mcp/json-rpc";
import { isPlainObject } from "@/lib/json/is-plain-object";

export interface ToolCallParams {
  name: string;
  /** Absent when the call passes none; otherwise a JSON object. */
  arguments: Record<string, unknown> | undefined;
}

export type ToolCallExtraction = ({ ok: true } & ToolCallParams) | { ok: false; error: JsonRpcErrorResponse };

/**
 * `{ name, arguments }` of a tools/call request, an invalid-params error (-32602) when they are malformed, or null
 * for any other message. Anything that is not exactly a string name and an object (or absent) `arguments` is
 * refused here, so a call the policy cannot read is never forwarded.
 */
export function extractToolCall(message: JsonRpcMessage): ToolCallExtraction | null {
  if (!("method" in message) || message.method !== TOOLS_CALL) return null;
  const id = "id" in message ? message.id : null;
  const params = message.params;
  if (!isPlainObject(params)) return invalidParams(id, "tools/call needs `params` as an object with the tool's `name`.");
  if (typeof params.name !== "string") return invalidParams(id, "tools/call needs `params.name`, the tool's name as a string.");
  const args = params.arguments;
  if (args !== undefined && !isPlainObject(args)) {
    return invalidParams(id, "`params.arguments` of tools/call must be an object when present.");
  }
  return { ok: true, name: params.name, arguments: args };
}

function invalidParams(id: JsonRpcErrorResponse["id"], why: string): ToolCallExtraction {
  return { ok: false, error: jsonRpcError(id, JSON_RPC_ERROR.INVALID_PARAMS, `Invalid params: ${why}`) };
}
