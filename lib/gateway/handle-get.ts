// GET: the session's event stream from the upstream (server requests and notifications), filtered like every answer.
// The stream the gateway opened right after `initialized` (early-event-streams.ts) is handed over when it is there.
import { unavailableAnswer } from "@/lib/gateway/answers";
import { confirmedOr503, plainAudit, record, type Exchange } from "@/lib/gateway/exchange";
import type { GatewayInstance } from "@/lib/gateway/instance";
import { passThrough } from "@/lib/gateway/pass-through";
import { relay } from "@/lib/gateway/relay";
import { hashSessionId } from "@/lib/gateway/sessions";
import { streamFilter } from "@/lib/gateway/tools-list-filter";

export async function handleGet(gw: GatewayInstance, ex: Exchange): Promise<Response> {
  const unavailable = await confirmedOr503(gw, ex);
  if (unavailable) return unavailable;
  // A resumed stream (Last-Event-ID) is the upstream's to replay: it always goes there.
  if (ex.sessionId !== null && ex.request.headers.get("last-event-id") === null) {
    const early = gw.eventStreams.take(ex.sessionId);
    if (early) {
      try {
        // Opened by the gateway right after `initialized`: no upstream time belongs to this request.
        await record(gw, ex, [plainAudit("GET")], early.status, null);
      } catch {
        await early.body?.cancel().catch(() => {});
        return unavailableAnswer();
      }
      return passThrough(early, ex.sessionId, async () => {}, streamFilter(ex.server));
    }
  }
  // Not held here: behind a load balancer another instance may hold it, and the upstream then refuses a second stream
  // (409) until that instance lets it go, which it does when told (instance.ts).
  const sessionId = ex.sessionId;
  const waiter = gw.deps.approvals?.waiter;
  const onConflict = sessionId !== null && waiter ? () => waiter.releaseEarlyStream(hashSessionId(sessionId)) : undefined;
  return relay(gw, ex, undefined, onConflict);
}
