// GET and DELETE carry no message to check: they go upstream as they came (the allowed headers only), and are
// recorded once the upstream has answered, before the answer is passed back.
import { unavailableAnswer, upstreamUnreachableAnswer } from "@/lib/gateway/answers";
import { plainAudit, record, upstreamHeaders, type Exchange } from "@/lib/gateway/exchange";
import type { GatewayInstance } from "@/lib/gateway/instance";
import { passThrough } from "@/lib/gateway/pass-through";
import { streamFilter } from "@/lib/gateway/tools-list-filter";

/** How often, and how far apart, a GET refused with 409 is tried again while another instance lets its stream go. */
const CONFLICT_RETRIES = 20;
const CONFLICT_WAIT_MS = 50;

/**
 * `afterAnswer` runs once the upstream has answered, before the row is recorded (DELETE ends the session there).
 * `onConflict`, for a session's GET: the upstream refused it with 409 (it allows one event stream per session, and
 * another instance holds one it opened early); called once, then the GET is tried again for about a second.
 */
export async function relay(gw: GatewayInstance, ex: Exchange, afterAnswer?: () => Promise<void>, onConflict?: () => Promise<void>): Promise<Response> {
  const { request, server } = ex;
  const upstream = await gw.deps.upstreamFetch(server);
  const t0 = performance.now();
  let response: Response;
  try {
    for (let attempt = 0; ; attempt++) {
      response = await upstream.fetch(server.url, { method: request.method, headers: upstreamHeaders(ex), signal: request.signal });
      if (!onConflict || response.status !== 409 || attempt >= CONFLICT_RETRIES) break;
      await response.body?.cancel().catch(() => {});
      if (attempt === 0) await onConflict().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, CONFLICT_WAIT_MS));
      if (request.signal.aborted) throw request.signal.reason;
    }
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
