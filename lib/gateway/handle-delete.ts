// DELETE: the client ends its session; the upstream's session ends with it, and so does a held early event stream.
import { confirmedOr503, type Exchange } from "@/lib/gateway/exchange";
import type { GatewayInstance } from "@/lib/gateway/instance";
import { relay } from "@/lib/gateway/relay";

export async function handleDelete(gw: GatewayInstance, ex: Exchange): Promise<Response> {
  const unavailable = await confirmedOr503(gw, ex);
  if (unavailable) return unavailable;
  const { sessionId } = ex;
  if (sessionId === null) return relay(gw, ex);
  gw.eventStreams.drop(sessionId);
  return relay(gw, ex, () => gw.sessions.delete(ex.server.workspaceId, sessionId).catch(() => {}));
}
