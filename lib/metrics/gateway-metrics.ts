import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { GatewayMetrics } from "@/lib/gateway/metrics";
import { metricMethod } from "@/lib/metrics/metric-method";

// The gateway's metrics on a prom-client registry. Labelled children are kept in nested maps so a call costs map
// lookups, not the label string prom-client would build from an object on every `inc`.

/** Seconds, from half a millisecond (a cached decision) to ten seconds (a slow upstream). */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const registers = [registry];
  const requests = new Counter({
    name: "portcullis_gateway_requests_total",
    help: "Messages the gateway decided (one per audit row), by decision, MCP method and server id.",
    labelNames: ["decision", "method", "server"] as const,
    registers,
  });
  const rateLimited = new Counter({
    name: "portcullis_gateway_rate_limited_total",
    help: "Calls refused for being over one of their rate limits, by server id.",
    labelNames: ["server"] as const,
    registers,
  });
  const histogram = (name: string, help: string) => new Histogram({ name, help, buckets: LATENCY_BUCKETS, registers });
  const request = histogram("portcullis_gateway_request_duration_seconds", "A whole gateway request, from its arrival to its answer's headers.");
  const upstream = histogram("portcullis_gateway_upstream_duration_seconds", "The upstream hop, from sending to the upstream's answer headers.");
  const admit = histogram("portcullis_gateway_admit_duration_seconds", "The admit statement in the database (confirm, count, record) before a forward.");
  const held = new Gauge({ name: "portcullis_gateway_held_calls", help: "Calls held for a person's approval in this process.", registers });

  const requestChildren = new Map<string, Map<string, Map<string, Counter.Internal>>>();
  const limitedChildren = new Map<string, Counter.Internal>();
  return {
    decided(serverId, method, decision) {
      let byMethod = requestChildren.get(serverId);
      if (!byMethod) requestChildren.set(serverId, (byMethod = new Map()));
      // Keyed by the label, not the method as sent: invented method names must not grow this map either.
      const label = metricMethod(method);
      let byDecision = byMethod.get(label);
      if (!byDecision) byMethod.set(label, (byDecision = new Map()));
      let child = byDecision.get(decision);
      if (!child) byDecision.set(decision, (child = requests.labels(decision, label, serverId)));
      child.inc();
    },
    rateLimited(serverId) {
      let child = limitedChildren.get(serverId);
      if (!child) limitedChildren.set(serverId, (child = rateLimited.labels(serverId)));
      child.inc();
    },
    requestMs: (ms) => request.observe(ms / 1000),
    upstreamMs: (ms) => upstream.observe(ms / 1000),
    admitMs: (ms) => admit.observe(ms / 1000),
    heldCalls: (delta) => held.inc(delta),
  };
}
