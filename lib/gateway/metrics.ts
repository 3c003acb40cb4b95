// What the gateway tells its metrics (lib/metrics/gateway-metrics.ts implements it with prom-client). Optional in
// GatewayDeps: a handler without it measures nothing. Every method is called on the hot path, so an implementation
// must only look its labels up, never build strings per call. Pure: no import of the metrics library here.
import type { AuditDecision } from "@/lib/gateway/audit";

export interface GatewayMetrics {
  /** One message decided (one audit row): its server, its JSON-RPC method (or GET, DELETE), the decision. */
  decided(serverId: string, method: string | null, decision: AuditDecision): void;
  /** A call refused for being over one of its limits. */
  rateLimited(serverId: string): void;
  /** A whole gateway request, from its arrival to its answer's headers, in ms. */
  requestMs(ms: number): void;
  /** The upstream hop, from sending to the answer's headers, in ms. */
  upstreamMs(ms: number): void;
  /** The admit statement (the database: confirm, count, record), in ms. */
  admitMs(ms: number): void;
  /** A call starts or stops being held for a person's approval in this process. */
  heldCalls(delta: 1 | -1): void;
}
