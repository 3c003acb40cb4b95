// OpenTelemetry traces of gateway calls, off unless an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). Off, nothing of OpenTelemetry is loaded and the gateway is handed no tracing.
// On, spans are batched and posted as OTLP/HTTP JSON; the SDK reads its own further settings (OTEL_TRACES_SAMPLER,
// OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_*) itself. No global tracer provider is registered: only the gateway is traced.
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { GatewayTracing } from "@/lib/gateway/tracing";

/** The settings this reads (lib/env.ts declares them). */
export interface TracingSettings {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;
  OTEL_SERVICE_NAME?: string;
}

export interface ProcessTracing {
  gateway: GatewayTracing;
  /** The URL spans are posted to. */
  url: string;
  /** Sends the spans ended so far. */
  flush(): Promise<void>;
  /** Sends what is left (waiting 5 s at most), then stops: on the server's shutdown. */
  shutdown(): Promise<void>;
}

export const DEFAULT_SERVICE_NAME = "portcullis";
const SHUTDOWN_WAIT_MS = 5_000;

/**
 * Where spans are posted, as OpenTelemetry specifies: the traces endpoint as given, else the base endpoint with
 * `v1/traces` added to its path; undefined (tracing off) when neither is set.
 */
export function otlpTracesUrl(settings: TracingSettings): string | undefined {
  if (settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = settings.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!base) return undefined;
  return `${base}${base.endsWith("/") ? "" : "/"}v1/traces`;
}

/** The process's tracing, or undefined when no endpoint is configured. `log` hears of failed exports (one a minute). */
export async function startTracing(settings: TracingSettings, options: { version: string; log?: (line: string) => void }): Promise<ProcessTracing | undefined> {
  const url = otlpTracesUrl(settings);
  if (url === undefined) return undefined;
  const [{ BasicTracerProvider, BatchSpanProcessor }, { ExportResultCode }, { OTLPTraceExporter }, { defaultResource, resourceFromAttributes }, { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION }, { createGatewayTracing }] =
    await Promise.all([
      import("@opentelemetry/sdk-trace-base"),
      import("@opentelemetry/core"),
      import("@opentelemetry/exporter-trace-otlp-http"),
      import("@opentelemetry/resources"),
      import("@opentelemetry/semantic-conventions"),
      import("@/lib/tracing/gateway-tracing"),
    ]);
  const exporter = new OTLPTraceExporter({ url });
  const provider = new BasicTracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.OTEL_SERVICE_NAME ?? DEFAULT_SERVICE_NAME, [ATTR_SERVICE_VERSION]: options.version }),
    ),
    spanProcessors: [new BatchSpanProcessor(options.log ? warnOnFailure(exporter, url, ExportResultCode.SUCCESS, options.log) : exporter)],
  });
  return {
    gateway: createGatewayTracing(provider.getTracer("portcullis-gateway", options.version)),
    url,
    flush: () => provider.forceFlush(),
    // Bounded: a collector that does not answer must not hold up the process's exit for the exporter's timeout.
    shutdown: () => Promise.race([provider.shutdown(), new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref())]),
  };
}

/**
 * The exporter, telling `log` when a batch could not be sent (at most once a minute): the SDK's own diagnostics are
 * silent unless a global logger is set. Only the collector's origin is named: its URL may carry credentials.
 */
function warnOnFailure(exporter: SpanExporter, url: string, success: number, log: (line: string) => void): SpanExporter {
  const origin = URL.canParse(url) ? new URL(url).origin : "the configured endpoint";
  let lastWarning = -Infinity;
  return {
    export(spans, done) {
      exporter.export(spans, (result) => {
        if (result.code !== success && Date.now() - lastWarning > 60_000) {
          lastWarning = Date.now();
          log(`could not export ${spans.length} trace span(s) to ${origin}: ${result.error?.message ?? "export failed"}`);
        }
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}
