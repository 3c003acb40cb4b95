import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { writeWebResponse } from "@/lib/gateway/node-adapter";
import { problemResponse } from "@/lib/http/problem";

// GET /metrics in Prometheus's text format, on scripts/server.ts's node:http server ahead of Next.js. Off unless a
// token is configured (PORTCULLIS_METRICS_TOKEN): server ids and traffic are not for anyone who can reach the port.

export const METRICS_PATH = "/metrics";

export function isMetricsPath(url: string | undefined): boolean {
  if (!url) return false;
  const end = url.indexOf("?");
  return (end === -1 ? url : url.slice(0, end)) === METRICS_PATH;
}

/**
 * `token`: the Bearer token a scrape must send, or undefined for metrics off (404). `open`: no token asked, for a
 * listener bound to loopback only (PORTCULLIS_METRICS_PORT).
 */
export function metricsListener(registry: Registry, access: { token?: string; open?: boolean }) {
  const expected = access.token === undefined ? null : digest(access.token);
  return (req: IncomingMessage, res: ServerResponse): void => {
    void answer(registry, req, access.open === true, expected).then(
      (response) => writeWebResponse(response, res),
      () => res.writeHead(500, { "content-type": "text/plain" }).end("The metrics could not be collected.\n"),
    );
  };
}

async function answer(registry: Registry, req: IncomingMessage, open: boolean, expected: Buffer | null): Promise<Response> {
  const requestId = randomUUID();
  if (!open && expected === null) {
    return problemResponse({ status: 404, code: "metrics_off", detail: "Metrics are off on this instance: set PORTCULLIS_METRICS_TOKEN (32 characters or more) to serve them at /metrics.", requestId });
  }
  if (!isMetricsPath(req.url)) return problemResponse({ status: 404, code: "not_found", detail: "This port serves /metrics only.", requestId });
  if (req.method !== "GET" && req.method !== "HEAD") {
    return problemResponse({ status: 405, code: "method_not_allowed", detail: "Scrape /metrics with GET.", requestId }, { allow: "GET, HEAD" });
  }
  if (!open) {
    const sent = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
    // Compared as digests, in constant time: the token's length and prefix do not leak through timing.
    if (sent === undefined || !timingSafeEqual(digest(sent), expected!)) {
      return problemResponse(
        { status: 401, code: "metrics_token_invalid", detail: "Send the metrics token (PORTCULLIS_METRICS_TOKEN) as Authorization: Bearer <token>.", requestId },
        { "www-authenticate": 'Bearer realm="metrics"' },
      );
    }
  }
  return new Response(req.method === "HEAD" ? null : await registry.metrics(), {
    status: 200,
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}
