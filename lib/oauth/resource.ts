import { gatewayUrl } from "@/lib/gateway/gateway-url";

// Resource indicators (RFC 8707): a token is bound to one gateway URL, `<origin>/gateway/<server id>/mcp`, exactly as
// the client was given it. The server a resource names is read back from it, and only when the URL is exactly the one
// Portcullis would write for that server on this origin.

const GATEWAY_PATH = /^\/gateway\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/mcp$/;

/** The server id a resource names on `origin`, or null when it is not one of this origin's gateway URLs. */
export function serverIdForResource(resource: string, origin: string): string | null {
  if (!URL.canParse(resource)) return null;
  const match = GATEWAY_PATH.exec(new URL(resource).pathname);
  if (!match) return null;
  const serverId = match[1]!;
  return gatewayUrl(origin, serverId) === resource ? serverId : null;
}
