// The URL an agent is given for one server: the gateway's Streamable HTTP endpoint on a public origin.

/** `<origin>/gateway/<serverId>/mcp`; the origin may end with a slash. */
export function gatewayUrl(origin: string, serverId: string): string {
  return new URL(`/gateway/${encodeURIComponent(serverId)}/mcp`, origin).href;
}
