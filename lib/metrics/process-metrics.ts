import { Registry } from "prom-client";
import { getPool } from "@/lib/db/client";
import type { GatewayMetrics } from "@/lib/gateway/metrics";
import { createGatewayMetrics } from "@/lib/metrics/gateway-metrics";
import { registerPoolMetrics } from "@/lib/metrics/pool-metrics";

export interface ProcessMetrics {
  registry: Registry;
  gateway: GatewayMetrics;
}

// One registry per process, on globalThis: Next.js bundles and development reloads evaluate this module more than once.
const globalForMetrics = globalThis as unknown as { portcullisMetrics?: ProcessMetrics };

/** The process's registry: the gateway's metrics and the database pool's. */
export function processMetrics(): ProcessMetrics {
  if (!globalForMetrics.portcullisMetrics) {
    const registry = new Registry();
    registerPoolMetrics(registry, getPool);
    globalForMetrics.portcullisMetrics = { registry, gateway: createGatewayMetrics(registry) };
  }
  return globalForMetrics.portcullisMetrics;
}
