// The gateway's trace on OpenTelemetry (the GatewayTracing that lib/gateway/tracing.ts describes): one SERVER span per
// request, continuing the client's W3C trace context, with child spans for the policy decision, the admit statement
// and the upstream hop, whose context goes upstream in `traceparent`. Spans carry ids, names and decisions only:
// never argument values, the refusal's text (it can quote them), keys, session ids, headers or the upstream's URL.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type TextMapGetter, type TextMapSetter, type Tracer } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
} from "@opentelemetry/semantic-conventions";
import type { GatewayTracing, RequestTrace, TracedDecision } from "@/lib/gateway/tracing";
import type { GatewayRequest } from "@/lib/gateway/types";

/**
 * The attributes the gateway adds. MCP's method and the tool's name use OpenTelemetry's own names (still incubating
 * in the semantic conventions, so written here rather than imported); the rest are the product's.
 */
export const GATEWAY_ATTRIBUTES = {
  mcpMethod: "mcp.method.name",
  tool: "gen_ai.tool.name",
  serverId: "portcullis.server.id",
  grantId: "portcullis.grant.id",
  requestId: "portcullis.request.id",
  decision: "portcullis.decision",
  code: "portcullis.decision.code",
  rule: "portcullis.decision.rule",
  messages: "portcullis.messages",
  confirmed: "portcullis.admit.confirmed",
  rateLimited: "portcullis.admit.rate_limited",
} as const;
const A = GATEWAY_ATTRIBUTES;

export const GATEWAY_SPANS = { decide: "portcullis.decide", admit: "portcullis.admit", upstream: "upstream POST" } as const;

const ROUTE = "/gateway/{server}/mcp";
const METHODS = new Set(["GET", "POST", "DELETE"]);
/** Text a request chose (a tool, a method) is cut to this many characters, as the audit trail cuts it. */
const MAX_TEXT = 512;

const propagator = new W3CTraceContextPropagator();
const fromRequest: TextMapGetter<GatewayRequest["headers"]> = { get: (headers, key) => headers.get(key) ?? undefined, keys: () => [] };
const intoHeaders: TextMapSetter<Headers> = { set: (headers, key, value) => headers.set(key, value) };

export function createGatewayTracing(tracer: Tracer): GatewayTracing {
  return { request: (request) => traceRequest(tracer, request) };
}

function traceRequest(tracer: Tracer, request: GatewayRequest): RequestTrace {
  const known = METHODS.has(request.method);
  // A missing or malformed traceparent leaves the root context: the request starts a trace of its own.
  const parent = propagator.extract(ROOT_CONTEXT, request.headers, fromRequest);
  const span = tracer.startSpan(
    `${known ? request.method : "HTTP"} ${ROUTE}`,
    { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: known ? request.method : HTTP_REQUEST_METHOD_VALUE_OTHER, [ATTR_HTTP_ROUTE]: ROUTE } },
    parent,
  );
  const inside = trace.setSpan(parent, span);
  const child = (name: string, kind: SpanKind, attributes?: Attributes) => tracer.startSpan(name, { kind, attributes }, inside);
  let primary: TracedDecision | null = null;
  let messages = 0;
  let ended = false;

  return {
    identify(serverId, grantId, requestId) {
      if (ended) return;
      span.setAttribute(A.requestId, requestId);
      if (serverId !== null) span.setAttribute(A.serverId, serverId);
      if (grantId !== null) span.setAttribute(A.grantId, grantId);
    },
    decided(row) {
      if (ended) return;
      messages++;
      if (primary === null || (primary.method !== "tools/call" && row.method === "tools/call")) primary = row;
    },
    decide() {
      const stage = child(GATEWAY_SPANS.decide, SpanKind.INTERNAL);
      return {
        end(rows, error) {
          const first = primaryOf(rows);
          if (first) stage.setAttributes(decisionAttributes(first));
          stage.setAttribute(A.messages, rows.length);
          finish(stage, error);
        },
      };
    },
    admit() {
      const stage = child(GATEWAY_SPANS.admit, SpanKind.CLIENT, { [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL, [ATTR_DB_OPERATION_NAME]: "portcullis_admit" });
      return {
        end(result, error) {
          if (result) stage.setAttributes({ [A.confirmed]: result.confirmed, [A.rateLimited]: result.rateLimited });
          finish(stage, error);
        },
      };
    },
    upstream(headers) {
      const hop = child(GATEWAY_SPANS.upstream, SpanKind.CLIENT, { [ATTR_HTTP_REQUEST_METHOD]: "POST" });
      propagator.inject(trace.setSpan(inside, hop), headers, intoHeaders);
      return {
        end(status, error) {
          if (status !== null) hop.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
          // A client span fails on any 4xx or 5xx (OpenTelemetry's HTTP conventions).
          finish(hop, error, status !== null && status >= 400 ? String(status) : undefined);
        },
      };
    },
    end(status, error) {
      if (ended) return;
      ended = true;
      if (primary) span.setAttributes(decisionAttributes(primary));
      if (messages > 0) span.setAttribute(A.messages, messages);
      if (status !== null) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      // A server span fails on a 5xx only: a 4xx is the client's mistake, and a refusal is the gateway working.
      finish(span, error, status !== null && status >= 500 ? String(status) : undefined);
    },
  };
}

/** The message a request's span describes: its first tools/call, else its first message. */
function primaryOf(rows: readonly TracedDecision[]): TracedDecision | undefined {
  return rows.find((row) => row.method === "tools/call") ?? rows[0];
}

function decisionAttributes(row: TracedDecision): Attributes {
  const attributes: Attributes = { [A.decision]: row.decision };
  if (row.method !== null) attributes[A.mcpMethod] = bounded(row.method);
  if (row.tool !== null) attributes[A.tool] = bounded(row.tool);
  if (row.code !== null) attributes[A.code] = row.code;
  if (row.rule !== null) attributes[A.rule] = bounded(row.rule);
  return attributes;
}

const bounded = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

/**
 * Ends a span, failed when there is an error or a failing status. Only the error's class name is kept: messages can
 * hold addresses, and an upstream's URL can hold credentials.
 */
function finish(span: Span, error: unknown, failedStatus?: string): void {
  const type = error !== undefined ? (error instanceof Error ? error.name : "Error").slice(0, 64) : failedStatus;
  if (type !== undefined) {
    span.setAttribute(ATTR_ERROR_TYPE, type);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
