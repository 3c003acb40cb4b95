// The 2026-07-28 revision mirrors parts of each request body into HTTP headers (SEP-2243), so intermediaries can
// route without reading JSON: `Mcp-Method` on every request, `Mcp-Name` for the methods in NAME_SOURCE. Servers of
// that revision refuse a request without them (400, -32020). The gateway derives them from the message it checked
// and forwards, never copies the client's: a header must not name a tool or resource the policy did not see.
import type { JsonRpcMessage } from "@/lib/mcp/json-rpc";
import { PROTOCOL_VERSION_2026_07_28 } from "@/lib/mcp/protocol-version";

/** Which `params` field `Mcp-Name` mirrors, per method. */
const NAME_SOURCE: Readonly<Record<string, string>> = {
  "tools/call": "name",
  "prompts/get": "name",
  "resources/read": "uri",
  "tasks/get": "taskId",
  "tasks/update": "taskId",
  "tasks/cancel": "taskId",
};

/** A value that is not a plain, trimmed, printable-ASCII field value travels as `=?base64?<utf-8 base64>?=`. */
export function encodeHeaderValue(value: string): string {
  const plain =
    value.length > 0 &&
    value === value.trim() &&
    !(value.startsWith("=?base64?") && value.endsWith("?=")) &&
    /^[\t\x20-\x7e]*$/.test(value);
  return plain ? value : `=?base64?${Buffer.from(value, "utf8").toString("base64")}?=`;
}

/**
 * The standard headers for one forwarded message: none for a protocol version before 2026-07-28 (legacy exchanges
 * stay byte-identical), for a notification or a response, or for a batch (which these revisions do not allow).
 */
export function standardRequestHeaders(message: JsonRpcMessage, version: string | null): Record<string, string> {
  if (version === null || version < PROTOCOL_VERSION_2026_07_28) return {};
  if (!("method" in message) || !("id" in message)) return {};
  // Methods are ASCII in practice; encoding keeps a hostile one from breaking (or splitting) the header.
  const headers: Record<string, string> = { "mcp-method": encodeHeaderValue(message.method) };
  const field = Object.hasOwn(NAME_SOURCE, message.method) ? NAME_SOURCE[message.method] : undefined;
  const params = message.params;
  const value = field && params && !Array.isArray(params) ? params[field] : undefined;
  if (typeof value === "string") headers["mcp-name"] = encodeHeaderValue(value);
  return headers;
}
