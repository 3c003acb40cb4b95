// What the gateway tells its tracing (lib/tracing/gateway-tracing.ts implements it with OpenTelemetry). Optional in
// GatewayDeps: a handler without it makes no span and calls none of this, so tracing off costs the hot path nothing
// but a few checks of `undefined`. Pure: no import of the tracing library here.
import type { AuditDecision } from "@/lib/gateway/audit";
import type { GatewayRequest } from "@/lib/gateway/types";

/**
 * A message's decision as its audit row holds it. Never its argument values nor the reason (a refusal's text can
 * quote them): an implementation is handed only these fields.
 */
export interface TracedDecision {
  method: string | null;
  tool: string | null;
  decision: AuditDecision;
  code: string | null;
  rule: string | null;
}

export interface GatewayTracing {
  /** A request arrived: its span starts, continuing the client's W3C `traceparent` when it sent one. */
  request(request: GatewayRequest): RequestTrace;
}

/** One request's trace. Calls after `end` are ignored (a held call's last row is recorded after its answer began). */
export interface RequestTrace {
  /** What the request is for, once known: server and grant (null when the key named none), the audit request id. */
  identify(serverId: string | null, grantId: string | null, requestId: string): void;
  /** A message's final decision, where its audit row is written (where GatewayMetrics.decided is told). */
  decided(row: TracedDecision): void;
  /** The decide stage, ended with each message's decision as the policy made it (before any counter). */
  decide(): { end(rows: readonly TracedDecision[], error?: unknown): void };
  /** The admit statement, ended with whether it confirmed the lookup and how many calls it found over a limit. */
  admit(): { end(result: { confirmed: boolean; rateLimited: number } | null, error?: unknown): void };
  /** The upstream hop: sets its `traceparent` in `headers`; ended with the upstream's status, or null and the error. */
  upstream(headers: Headers): { end(status: number | null, error?: unknown): void };
  /** Ends the request's span with the answer's status (null when the handler threw). */
  end(status: number | null, error?: unknown): void;
}
