// The gateway as an App Router route (app/gateway/[server]/mcp/route.ts), so every way of running the app serves it:
// `next start`, or a host that runs a Next.js app its own way. scripts/server.ts (`npm start`, `npm run dev`) hands
// /gateway/... to the same handler before Next.js sees the request, which is the faster path (no Next routing, and
// answers written straight from their bytes); this mount is for everything else. One handler per process, traced as
// the node:http mount is when an OTLP endpoint is configured (lib/tracing/start-tracing.ts).
import { env, publicUrl } from "@/lib/env";
import { gatewayAllowedHosts } from "@/lib/gateway/allowed-hosts";
import { createGatewayHandler } from "@/lib/gateway/handler";
import { startGatewayHousekeeping } from "@/lib/gateway/housekeeping";
import { NO_ENDPOINT } from "@/lib/gateway/node-adapter";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import type { GatewayRequest } from "@/lib/gateway/types";
import { readLimitedText } from "@/lib/http/read-limited-text";
import { isOAuthDiscoveryPath, oauthDiscoveryAnswer } from "@/lib/mcp/oauth-discovery";
import { createLogger } from "@/lib/log/log";
import { startTracing } from "@/lib/tracing/start-tracing";
import { APP_VERSION } from "@/lib/version";

type Handler = ReturnType<typeof createGatewayHandler>;
// On globalThis: development reloads re-evaluate this module, and there must still be one handler (and one
// housekeeping timer, one LISTEN connection for approvals, one span exporter) per process.
const globalForGateway = globalThis as unknown as { portcullisNextGateway?: Promise<Handler> };

function gateway(): Promise<Handler> {
  globalForGateway.portcullisNextGateway ??= createRouteGateway().catch((error: unknown) => {
    // Not kept: the next request tries again rather than every request failing for good.
    globalForGateway.portcullisNextGateway = undefined;
    throw error;
  });
  return globalForGateway.portcullisNextGateway;
}

async function createRouteGateway(): Promise<Handler> {
  const logger = createLogger("portcullis");
  const tracing = await startTracing(env, { version: APP_VERSION, log: (line) => logger.warn(line) });
  if (tracing) logger.info(`gateway traces exported to ${new URL(tracing.url).origin} (OTLP/HTTP)`);
  // `next start` listens on every interface unless told otherwise, so without PORTCULLIS_PUBLIC_URL (or HOST set to a
  // loopback address) it cannot know its names and checks none, as scripts/server.ts does when bound to 0.0.0.0.
  const deps = createDatabaseGatewayDeps({
    allowedHosts: gatewayAllowedHosts(publicUrl(), process.env.HOST ?? "0.0.0.0"),
    ...(tracing ? { tracing: tracing.gateway } : {}),
  });
  startGatewayHousekeeping(deps, { log: (line) => logger.info(line) });
  return createGatewayHandler(deps);
}

/** What the handler reads of a web Request (the node:http mount fills the same view from IncomingMessage). */
function fromWebRequest(request: Request): GatewayRequest {
  // Next.js builds request.url on the host it was started with, not the Host the client sent, and that Host is what
  // the DNS-rebinding check needs (conformance's dns-rebinding-protection failed through this mount without it).
  const url = new URL(request.url);
  const host = request.headers.get("host");
  if (host) url.host = host; // an unparsable Host leaves the URL as it was
  return {
    method: request.method,
    url: url.href,
    headers: request.headers,
    signal: request.signal,
    text: (limit) => readLimitedText(request, limit),
  };
}

/** The route's handler for every method: `/gateway/<server>/mcp`. */
export async function serveGatewayRoute(request: Request, context: { params: Promise<{ server: string }> }): Promise<Response> {
  const { server } = await context.params;
  return serveWebRequest(await gateway(), request, server);
}

/** What the route does with a web Request, for a given handler (tests run the gateway suite through this mount too). */
export function serveWebRequest(handler: Handler, request: Request, serverId: string): Promise<Response> {
  return handler(fromWebRequest(request), serverId);
}

/**
 * The other paths the node:http mount answers for the gateway (node-adapter.ts): where clients look for OAuth on a
 * 401 (the gateway's JSON sentence, never the console's page), and paths under /gateway/ that are no endpoint.
 */
export async function serveGatewayAside(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (isOAuthDiscoveryPath(pathname)) {
    const answer = oauthDiscoveryAnswer(request.method);
    return new Response(answer.body === "" ? null : answer.body, { status: answer.status, headers: answer.headers });
  }
  if (pathname.startsWith("/gateway/")) return new Response(NO_ENDPOINT, { status: 404, headers: { "content-type": "application/json" } });
  return Response.json({ error: "not_found" }, { status: 404 });
}
