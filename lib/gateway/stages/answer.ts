// Stage 7, POST: the answer. The gateway's own answers alone when nothing was forwarded; else the upstream's answer,
// filtered (tools/list) and merged with the gateway's own (pass-through.ts), under a new gateway session when it
// answers an initialize. Right after `notifications/initialized`, the session's upstream event stream is opened.
import { acceptedAnswer, jsonAnswer, unavailableAnswer } from "@/lib/gateway/answers";
import { upstreamHeaders, type Exchange } from "@/lib/gateway/exchange";
import { SESSION_HEADER } from "@/lib/gateway/http-headers";
import type { GatewayInstance } from "@/lib/gateway/instance";
import type { JsonRpcId, JsonRpcResponse } from "@/lib/mcp/json-rpc";
import { passThrough } from "@/lib/gateway/pass-through";
import type { Admitted } from "@/lib/gateway/stages/admit";
import type { Sent } from "@/lib/gateway/stages/forward";
import { toolsListFilter } from "@/lib/gateway/tools-list-filter";

/** Nothing was forwarded: the gateway's own answers, or 202 when there are none (notifications, responses). */
export function answerLocally(ex: Exchange, local: JsonRpcResponse[], batch: boolean): Response {
  if (local.length === 0) return acceptedAnswer();
  return jsonAnswer(200, batch ? local : local[0], ex.sessionId ? { [SESSION_HEADER]: ex.sessionId } : {});
}

export async function answer(gw: GatewayInstance, ex: Exchange, admitted: Admitted, sent: Sent, batch: boolean): Promise<Response> {
  const { response, upstream } = sent;
  const { forward } = admitted;
  // The session's event stream is opened upstream as soon as the session is initialized, before the client can
  // start a call: a server sends requests not tied to a call (sampling, elicitation) on that stream, and drops
  // or only stores them when it is not open yet. The client's GET then takes it over (early-event-streams.ts).
  let initialized = false;
  const requestIds: JsonRpcId[] = [];
  for (const m of forward) {
    if (!("method" in m)) continue;
    if ("id" in m) requestIds.push(m.id);
    else if (m.method === "notifications/initialized") initialized = true;
  }
  if (initialized && response.status === 202 && ex.sessionId !== null && ex.session?.upstreamSessionId) {
    const streamHeaders = upstreamHeaders(ex);
    streamHeaders.accept = "text/event-stream";
    delete streamHeaders["content-type"];
    await gw.eventStreams.open(ex.sessionId, (signal) => upstream.fetch(ex.server.url, { method: "GET", headers: streamHeaders, signal }));
  }

  let gatewaySession = ex.sessionId;
  if (admitted.initialize && response.ok && ex.sessionId === null) {
    try {
      gatewaySession = await gw.sessions.create({
        workspaceId: ex.server.workspaceId,
        grantId: ex.grant.grantId,
        serverId: ex.server.id,
        upstreamSessionId: response.headers.get(SESSION_HEADER),
        protocolVersion: admitted.initialize.protocolVersion,
      });
    } catch {
      await response.body?.cancel().catch(() => {});
      await upstream.close();
      return unavailableAnswer(5);
    }
  }
  const rewrite = toolsListFilter(ex.server, admitted.listIds);
  return passThrough(response, gatewaySession, upstream.close, { rewrite, rewrites: admitted.listIds.size > 0, local: admitted.local, batch, requestIds });
}
