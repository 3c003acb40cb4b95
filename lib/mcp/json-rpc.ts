// JSON-RPC 2.0 as MCP uses it: parse an HTTP body into messages, classify each one, and build the errors for the
// ones that are not valid. Pure functions; nothing here throws on any input.
import { describeUnstorable, findUnstorable, formatJsonPath } from "@/lib/json/storable-text";
import { isPlainObject } from "@/lib/json/is-plain-object";

export const JSON_RPC_VERSION = "2.0";

/** The error codes of the JSON-RPC 2.0 specification that the gateway answers with. */
export const JSON_RPC_ERROR = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
} as const;

/** MCP request ids are strings or integers, never null (unlike plain JSON-RPC). */
export type JsonRpcId = string | number;
export type JsonRpcParams = Record<string, unknown> | unknown[];

export interface JsonRpcRequest {
  jsonrpc: typeof JSON_RPC_VERSION;
  id: JsonRpcId;
  method: string;
  params?: JsonRpcParams;
}

export interface JsonRpcNotification {
  jsonrpc: typeof JSON_RPC_VERSION;
  method: string;
  params?: JsonRpcParams;
}

export interface JsonRpcSuccessResponse {
  jsonrpc: typeof JSON_RPC_VERSION;
  id: JsonRpcId;
  result: unknown;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcErrorResponse {
  jsonrpc: typeof JSON_RPC_VERSION;
  /** null when the id of the message at fault could not be read. */
  id: JsonRpcId | null;
  error: JsonRpcErrorObject;
}

export type JsonRpcResponse = JsonRpcSuccessResponse | JsonRpcErrorResponse;
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** One message of a body, classified; `invalid` carries the error to answer it with. */
export type ParsedMessage =
  | { kind: "request"; message: JsonRpcRequest }
  | { kind: "notification"; message: JsonRpcNotification }
  | { kind: "response"; message: JsonRpcResponse }
  | { kind: "invalid"; error: JsonRpcErrorResponse };

/**
 * A whole body: one message, a batch (a JSON array, to be allowed or refused by the protocol version), or an error
 * for the body as a whole (not JSON, an empty array).
 */
export type ParsedBody =
  | { kind: "single"; item: ParsedMessage }
  | { kind: "batch"; items: ParsedMessage[] }
  | { kind: "error"; error: JsonRpcErrorResponse };

/**
 * Deeper messages are refused before anything walks them: MCP messages are a few levels deep, and recursive code
 * further on (argument checks, canonical JSON for the audit digest) must never meet a stack-exhausting input.
 */
export const MAX_MESSAGE_DEPTH = 64;

/** The method MCP clients use to call a tool. */
export const TOOLS_CALL = "tools/call";

export function jsonRpcError(id: JsonRpcId | null, code: number, message: string, data?: unknown): JsonRpcErrorResponse {
  const error: JsonRpcErrorObject = data === undefined ? { code, message } : { code, message, data };
  return { jsonrpc: JSON_RPC_VERSION, id, error };
}

export function invalidRequest(id: JsonRpcId | null, why: string): JsonRpcErrorResponse {
  return jsonRpcError(id, JSON_RPC_ERROR.INVALID_REQUEST, `Invalid Request: ${why}`);
}

/** A valid MCP id: a string or an integer JSON numbers can carry exactly (so the answer echoes the same id). */
export function isJsonRpcId(value: unknown): value is JsonRpcId {
  return typeof value === "string" || Number.isSafeInteger(value);
}

/** Whether any array or object inside `value` is more than `max` levels deep (the value itself is level 1). */
function deeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth > max) return true;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

function isErrorObject(value: unknown): value is JsonRpcErrorObject {
  return isPlainObject(value) && Number.isSafeInteger(value.code) && typeof value.message === "string";
}

/** Classifies one parsed JSON value as a request, notification or response, or the error to answer it with. */
export function classifyMessage(value: unknown): ParsedMessage {
  if (!isPlainObject(value)) return invalid(null, "each message must be a JSON object.");
  const hasId = Object.hasOwn(value, "id");
  // The id is echoed whenever it can be read, so a client can tell which of its messages was refused.
  const knownId = hasId && isJsonRpcId(value.id) ? value.id : null;
  if (value.jsonrpc !== JSON_RPC_VERSION) return invalid(knownId, '`jsonrpc` must be "2.0".');
  if (deeperThan(value, MAX_MESSAGE_DEPTH)) return invalid(knownId, `the message is nested more than ${MAX_MESSAGE_DEPTH} levels deep.`);
  const unstorable = findUnstorable(value, value.method === TOOLS_CALL ? isToolArgumentValue : undefined);
  if (unstorable) {
    const where = formatJsonPath(unstorable.path);
    return invalid(
      knownId,
      `${unstorable.inKey ? `the key ${where}` : where} holds ${describeUnstorable(unstorable.reason)}, which Portcullis cannot record: remove it and send the message again.`,
    );
  }

  if (Object.hasOwn(value, "method")) {
    if (typeof value.method !== "string") return invalid(knownId, "`method` must be a string.");
    if (Object.hasOwn(value, "result") || Object.hasOwn(value, "error")) {
      return invalid(knownId, "a request or notification must not carry `result` or `error`.");
    }
    if (Object.hasOwn(value, "params") && !isPlainObject(value.params) && !Array.isArray(value.params)) {
      return invalid(knownId, "`params` must be an object or an array when present.");
    }
    if (!hasId) {
      // A tools/call without an id would reach the server as a notification nobody answers: never let one through.
      if (value.method === TOOLS_CALL) return invalid(null, "tools/call must be a request with an `id`.");
      return { kind: "notification", message: value as unknown as JsonRpcNotification };
    }
    if (knownId === null) return invalid(null, "`id` must be a string or an integer.");
    return { kind: "request", message: value as unknown as JsonRpcRequest };
  }

  const hasResult = Object.hasOwn(value, "result");
  const hasError = Object.hasOwn(value, "error");
  if (!hasResult && !hasError) {
    return invalid(knownId, "a message needs `method` (a request or notification) or `result` or `error` (a response).");
  }
  if (hasResult && hasError) return invalid(knownId, "a response must not carry both `result` and `error`.");
  if (hasError && !isErrorObject(value.error)) {
    return invalid(knownId, "`error` must be an object with an integer `code` and a string `message`.");
  }
  // JSON-RPC lets an error response say `id: null` when it could not read the request's id.
  const idOk = knownId !== null || (hasError && hasId && value.id === null);
  if (!idOk) return invalid(null, "a response needs the `id` (a string or an integer) of the request it answers.");
  return { kind: "response", message: value as unknown as JsonRpcResponse };
}

/**
 * A tool's argument values are forwarded and never stored (only their names and a digest are), so U+0000 may be in
 * them; everything else in a message (method, tool name, keys, ids, other params) may reach the audit trail or a
 * session row.
 */
function isToolArgumentValue(path: readonly (string | number)[]): boolean {
  return path.length > 2 && path[0] === "params" && path[1] === "arguments";
}

function invalid(id: JsonRpcId | null, why: string): ParsedMessage {
  return { kind: "invalid", error: invalidRequest(id, why) };
}

/** Parses a POST body: a single message or a batch (array). Never throws. */
export function parseJsonRpcBody(text: string): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : "";
    return { kind: "error", error: jsonRpcError(null, JSON_RPC_ERROR.PARSE_ERROR, `Parse error: the body is not valid JSON${detail}.`) };
  }
  return parseJsonRpcValue(value);
}

/** As parseJsonRpcBody, for a body already parsed as JSON. */
export function parseJsonRpcValue(value: unknown): ParsedBody {
  if (!Array.isArray(value)) return { kind: "single", item: classifyMessage(value) };
  if (value.length === 0) return { kind: "error", error: invalidRequest(null, "the batch is empty.") };
  return { kind: "batch", items: value.map(classifyMessage) };
}

/** The method of a classified message, or undefined for responses and invalid messages. */
export function methodOf(item: ParsedMessage): string | undefined {
  return item.kind === "request" || item.kind === "notification" ? item.message.method : undefined;
}
