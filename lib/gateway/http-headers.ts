// The MCP headers the gateway reads and writes, and which headers cross it in each direction.

export const SESSION_HEADER = "mcp-session-id";
export const VERSION_HEADER = "mcp-protocol-version";
/** Request headers passed to the upstream; everything else (Authorization, cookies) stays here. */
export const FORWARDED_REQUEST_HEADERS = ["accept", "content-type", VERSION_HEADER, "last-event-id"];
/** Response headers passed back; the session id is replaced by the gateway's. */
export const FORWARDED_RESPONSE_HEADERS = ["content-type", "cache-control", VERSION_HEADER];
