// Stage 1, every method: the Host and Origin, the grant key, the lookup (grant, server, session) and the session's
// binding. Answers the request itself (421, 403, 401, 503, 404) or hands the later stages an Exchange.
import { randomUUID } from "node:crypto";
import {
  hostNotServedAnswer,
  keyMissingAnswer,
  keyNotValidAnswer,
  originNotAllowedAnswer,
  unavailableAnswer,
  unknownSessionAnswer,
} from "@/lib/gateway/answers";
import type { Exchange } from "@/lib/gateway/exchange";
import { publicUrl } from "@/lib/env";
import { gatewayUrl } from "@/lib/gateway/gateway-url";
import { SESSION_HEADER, VERSION_HEADER } from "@/lib/gateway/http-headers";
import { bareHost, type GatewayInstance } from "@/lib/gateway/instance";
import { describeRefusal, recordRefusedKey } from "@/lib/gateway/record-refused-key";
import type { RequestTrace } from "@/lib/gateway/tracing";
import type { GatewayRequest } from "@/lib/gateway/types";
import { protectedResourceMetadataUrl } from "@/lib/oauth/metadata";
import { oauthTokenKind } from "@/lib/oauth/secrets";

/**
 * The gateway URL this request came to, as an OAuth client was given it (RFC 8707's resource): on the operator's
 * PORTCULLIS_PUBLIC_URL when set (the origin the console shows and tokens are issued for: lib/oauth-endpoints/issuer.ts),
 * else the request's own origin (the Host, or a trusted proxy's X-Forwarded-Host: node-adapter.ts).
 */
export function requestResource(request: GatewayRequest, serverId: string): string {
  return gatewayUrl(publicUrl() ?? new URL(request.url).origin, serverId);
}

/** Where a client finds how to get a token for this gateway URL (RFC 9728), named in every 401. */
function resourceMetadataUrl(request: GatewayRequest, serverId: string): string {
  return protectedResourceMetadataUrl(requestResource(request, serverId));
}

/**
 * Whether the URL's host is one this gateway serves. The answer depends only on the URL's scheme and authority (up to
 * the first "/" after "scheme://" in a URL as `URL.href` writes it), so it is kept per authority rather than parsing
 * the URL again on every call.
 */
function hostServed(gw: GatewayInstance, allowed: ReadonlySet<string>, url: string): boolean {
  const end = url.indexOf("/", url.indexOf("//") + 2);
  const authority = end === -1 ? url : url.slice(0, end);
  let served = gw.servedAuthorities.get(authority);
  if (served === undefined) {
    served = allowed.has(bareHost(new URL(url).hostname));
    // Bounded: the Host header is the client's to choose.
    if (gw.servedAuthorities.size >= 1_000) gw.servedAuthorities.clear();
    gw.servedAuthorities.set(authority, served);
  }
  return served;
}

function bearer(request: GatewayRequest): string | null {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * `fresh` reads the database rather than the lookup's memory (a restarted request); `started` is when the request
 * arrived (performance.now()), for the gateway's own time; `trace` is the request's, when tracing is on.
 */
export async function authenticate(
  gw: GatewayInstance,
  request: GatewayRequest,
  serverId: string,
  fresh: boolean,
  started: number,
  trace?: RequestTrace,
): Promise<Exchange | Response> {
  const { deps } = gw;
  const requestId = randomUUID();
  const ms = () => Math.round((performance.now() - started) * 1000) / 1000;

  // The URL's host is the request's Host (or a trusted proxy's X-Forwarded-Host: lib/gateway/node-adapter.ts).
  if (gw.allowedHosts !== null && !hostServed(gw, gw.allowedHosts, request.url)) return hostNotServedAnswer();
  // Origin: browsers send it; a foreign one is refused (DNS rebinding, drive-by pages). Non-browser clients omit it.
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== new URL(request.url).origin && !gw.allowedOrigins.has(origin)) return originNotAllowedAnswer(origin);

  const key = bearer(request);
  if (key === null) {
    const described = await describeRefusal(gw, request, serverId);
    trace?.identify(null, null, requestId);
    trace?.decided({ method: described?.method ?? null, tool: described?.tool ?? null, decision: "deny", code: "key_missing", rule: null });
    // The server's workspace is needed to record it; looked up off the answer's path.
    if (described) {
      void deps
        .lookup("", serverId, null)
        .then(({ server }) => (server ? recordRefusedKey(gw, server, { grantId: null, code: "key_missing" }, described, requestId, ms()) : undefined))
        .catch(() => {});
    }
    return keyMissingAnswer(resourceMetadataUrl(request, serverId));
  }

  // Fail closed: without the database nothing is forwarded.
  const sessionId = request.headers.get(SESSION_HEADER);
  let found: Awaited<ReturnType<typeof deps.lookup>>;
  try {
    // Only an OAuth access token is bound to the URL it was issued for; a grant key needs none (and the URL is not
    // worth building for it on every call).
    const resource = oauthTokenKind(key) === "access" ? requestResource(request, serverId) : undefined;
    found = await deps.lookup(key, serverId, sessionId, { fresh, resource });
  } catch {
    return unavailableAnswer(5);
  }
  const { grant, server, session, confirmation, cached = false, refusedKey } = found;
  if (grant === null || server === null || server.workspaceId !== grant.workspaceId) {
    const refused = refusedKey ?? { grantId: null, code: "key_unknown" as const };
    const described = server !== null ? await describeRefusal(gw, request, server.id) : null;
    if (server !== null && described) void recordRefusedKey(gw, server, refused, described, requestId, ms()).catch(() => {});
    trace?.identify(server?.id ?? null, refused.grantId, requestId);
    trace?.decided({ method: described?.method ?? null, tool: described?.tool ?? null, decision: "deny", code: refused.code, rule: null });
    return keyNotValidAnswer(resourceMetadataUrl(request, serverId));
  }
  if (!cached) void deps.touchGrant?.(grant.grantId).catch(() => {});
  const base = { workspaceId: server.workspaceId, serverId: server.id, grantId: grant.grantId, requestId };
  trace?.identify(server.id, grant.grantId, requestId);

  // Sessions: the gateway mints its own ids, bound to the grant; an unknown (or another grant's) id is a 404.
  if (sessionId !== null) {
    if (!session || session.grantId !== grant.grantId || session.serverId !== server.id) {
      await deps.audit
        .record([{ ...base, method: request.method, tool: null, decision: "error", code: "unknown_session", rule: null, reason: null, upstreamStatus: null, gatewayMs: ms(), upstreamMs: null, argumentNames: [], argumentsSha256: null }])
        .catch(() => {});
      trace?.decided({ method: request.method, tool: null, decision: "error", code: "unknown_session", rule: null });
      return unknownSessionAnswer();
    }
    gw.sessions.touch(sessionId, session);
  }

  const version = request.headers.get(VERSION_HEADER) ?? session?.protocolVersion ?? null;
  return { request, requestId, ms, key, serverId, grant, server, sessionId, session, confirmation, cached, version, base, trace };
}
