// Stage 6, POST: the checked messages go upstream (re-serialised, never the raw body) with the server's stored
// credentials, and what came of them is added to their rows: the upstream's status and timings, `client_cancelled`
// when the client hung up, `upstream_unreachable` when the upstream failed.
import { clientGoneAnswer, upstreamUnreachableAnswer } from "@/lib/gateway/answers";
import { upstreamHeaders, type Exchange } from "@/lib/gateway/exchange";
import type { GatewayInstance } from "@/lib/gateway/instance";
import type { JsonRpcMessage } from "@/lib/mcp/json-rpc";
import { standardRequestHeaders } from "@/lib/mcp/standard-headers";
import type { Admitted } from "@/lib/gateway/stages/admit";
import type { FetchLike } from "@/lib/upstream/guarded-fetch";
import type { GatewayRequest } from "@/lib/gateway/types";

/** How long the upstream's answer to a forwarded request is still awaited after its client hung up (to record it). */
export const CLIENT_GONE_WAIT_MS = 30_000;

/** The upstream's answer to a forward, its connection, when it was sent, and whether the client has gone since. */
export interface Sent {
  response: Response;
  upstream: { fetch: FetchLike; close(): Promise<void> };
  t0: number;
  /** Whether the client has hung up since. */
  clientGone: { readonly gone: boolean };
}

/**
 * Sends checked messages upstream, with the stored credentials and, for one message, the 2026-07-28 headers. A
 * failure is thrown with `clientGone` set when the client had hung up by then.
 */
export async function postUpstream(gw: GatewayInstance, ex: Exchange, body: JsonRpcMessage | JsonRpcMessage[]): Promise<Sent> {
  const { request, server } = ex;
  const upstream = await gw.deps.upstreamFetch(server);
  let headers: Record<string, string> | Headers = upstreamHeaders(ex);
  // 2026-07-28 upstreams route on Mcp-Method / Mcp-Name: derived from the checked message, never copied.
  if (!Array.isArray(body)) Object.assign(headers, standardRequestHeaders(body, ex.version));
  // The hop's span, whose context the upstream receives in `traceparent` (tracing on only).
  let span: ReturnType<NonNullable<Exchange["trace"]>["upstream"]> | undefined;
  if (ex.trace) {
    headers = new Headers(headers);
    span = ex.trace.upstream(headers);
  }
  const t0 = performance.now();
  const watch = new HopWatch(request);
  if (request.onGone) request.onGone(watch);
  else if (request.signal.aborted) watch.handleEvent();
  else request.signal.addEventListener("abort", watch, ONCE);
  try {
    const response = await upstream.fetch(server.url, { method: "POST", headers, body: JSON.stringify(body), signal: watch.hop.signal });
    gw.deps.metrics?.upstreamMs(performance.now() - t0);
    span?.end(response.status);
    watch.answered = true;
    clearTimeout(watch.wait);
    if (watch.gone) watch.abort();
    return { response, upstream, t0, clientGone: watch };
  } catch (error) {
    span?.end(null, error);
    clearTimeout(watch.wait);
    if (request.offGone) request.offGone(watch);
    else request.signal.removeEventListener("abort", watch);
    await upstream.close();
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), { clientGone: watch.gone });
  }
}

const ONCE = { once: true };

/**
 * The upstream hop's abort, and whether its client hung up. A client that hangs up does not take back what was sent:
 * the upstream's answer is still awaited (for up to CLIENT_GONE_WAIT_MS) so its real outcome is recorded. Once the
 * answer has come, a hang-up ends it at once. One object per forward, itself the listener for the client's hang-up (no
 * closures on the hot path).
 */
class HopWatch {
  readonly hop = new AbortController();
  gone = false;
  answered = false;
  wait: NodeJS.Timeout | undefined;
  constructor(private readonly client: GatewayRequest) {}
  /** The client's signal aborted. */
  handleEvent(): void {
    this.gone = true;
    if (this.answered) return this.abort();
    this.wait = setTimeout(abortHop, CLIENT_GONE_WAIT_MS, this);
    this.wait.unref();
  }
  abort(): void {
    // The client's own reason (its signal is made here if nothing made it before: a rare path).
    this.hop.abort(this.client.signal.reason);
  }
}
const abortHop = (watch: HopWatch) => watch.abort();

/** Forwards the admitted messages (a batch stays a batch) and adds their outcome to their rows (AdmitStore.complete). */
export async function forward(gw: GatewayInstance, ex: Exchange, admitted: Admitted, batch: boolean): Promise<Sent | Response> {
  const { forwardedIds } = admitted;
  let sent: Sent;
  try {
    sent = await postUpstream(gw, ex, batch ? admitted.forward : admitted.forward[0]!);
  } catch (error) {
    // A client that went away is recorded as such (the upstream had not answered within the wait), not as an
    // unreachable upstream.
    const gone = (error as { clientGone?: boolean }).clientGone === true;
    gw.deps.admit.complete(
      ex.base.workspaceId,
      forwardedIds,
      gone
        ? { upstreamStatus: null, upstreamMs: null, gatewayMs: ex.ms(), code: "client_cancelled", reason: `The client hung up, and the upstream had not answered ${CLIENT_GONE_WAIT_MS / 1000} s later.` }
        : { upstreamStatus: null, upstreamMs: null, gatewayMs: ex.ms(), decision: "error", code: "upstream_unreachable" },
    );
    return upstreamUnreachableAnswer();
  }
  const { response, upstream } = sent;
  if (sent.clientGone.gone) {
    // The upstream's real outcome, for a client no longer there to read it.
    gw.deps.admit.complete(ex.base.workspaceId, forwardedIds, {
      upstreamStatus: response.status, upstreamMs: performance.now() - sent.t0, gatewayMs: ex.ms(), code: "client_cancelled",
      reason: `The client hung up before the answer; the upstream answered ${response.status}.`,
    });
    await response.body?.cancel().catch(() => {});
    await upstream.close();
    return clientGoneAnswer();
  }
  gw.deps.admit.complete(ex.base.workspaceId, forwardedIds, { upstreamStatus: response.status, upstreamMs: performance.now() - sent.t0, gatewayMs: ex.ms() });
  // An answer streamed as events can outlive its client: a hang-up before its end is recorded as what it is.
  if ((response.headers.get("content-type") ?? "").includes("text/event-stream")) {
    const onHangUp = () => {
      gw.deps.admit.complete(ex.base.workspaceId, forwardedIds, { upstreamStatus: null, upstreamMs: null, gatewayMs: null, code: "client_cancelled", reason: "The client hung up while the upstream's answer was streaming." });
    };
    ex.request.signal.addEventListener("abort", onHangUp, { once: true });
  }
  return sent;
}
