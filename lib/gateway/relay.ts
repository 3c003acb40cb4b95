// GET and DELETE carry no message to check: they go upstream as they came (the allowed headers only), and are
// recorded once the upstream has answered, before the answer is passed back.
import { unavailableAnswer, upstreamUnreachableAnswer } from "@/lib/gateway/answers";
import { plainAudit, record, upstreamHeaders, type Exchange } from "@/lib/gateway/exchange";
import type { GatewayInstance } from "@/lib/gateway/instance";
import { passThrough } from "@/lib/gateway/pass-through";
import { streamFilter } from "@/lib/gateway/tools-list-filter";

/** `afterAnswer` runs once the upstream has answered, before the row is recorded (DELETE ends the session there). */
export async function relay(gw: GatewayInstance, ex: Exchange, afterAnswer?: () => Promise<void>): Promise<Response> {
  const { request, server } = ex;
  const upstream = await gw.deps.upstreamFetch(server);
  const t0 = performance.now();
  let response: Response;
  try {
    response = await upstream.fetch(server.url, { method: request.method, headers: upstreamHeaders(ex), signal: request.signal });
    gw.deps.metrics?.upstreamMs(performance.now() - t0);
  } catch {
    await upstream.close();
    await record(gw, ex, [plainAudit(request.method, "error")], null, null).catch(() => {});
    return upstreamUnreachableAnswer();
  }
  await afterAnswer?.();
  try {
    await record(gw, ex, [plainAudit(request.method)], response.status, performance.now() - t0);
  } catch {
    await response.body?.cancel().catch(() => {});
    await upstream.close();
    return unavailableAnswer();
  }
  return passThrough(response, ex.sessionId, upstream.close, streamFilter(server));
}
