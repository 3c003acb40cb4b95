// The gateway endpoint: MCP Streamable HTTP (POST, GET, DELETE) for one upstream server, enforcing the server's active
// policy for one grant. `(request, serverId) => Response`, mounted on node:http by node-adapter.ts. Every request is
// authenticated (stages/authenticate.ts), then handled by its method: handle-post.ts, handle-get.ts, handle-delete.ts.
// README.md in this folder walks through a request.
import { methodNotAllowedAnswer, unavailableAnswer } from "@/lib/gateway/answers";
import { handleDelete } from "@/lib/gateway/handle-delete";
import { handleGet } from "@/lib/gateway/handle-get";
import { handlePost } from "@/lib/gateway/handle-post";
import { createGatewayInstance, type GatewayInstance } from "@/lib/gateway/instance";
import { StaleLookup } from "@/lib/gateway/stale-lookup";
import { authenticate } from "@/lib/gateway/stages/authenticate";
import type { RequestTrace } from "@/lib/gateway/tracing";
import type { GatewayDeps, GatewayRequest } from "@/lib/gateway/types";
import type { Exchange } from "@/lib/gateway/exchange";

export type { GatewayDeps, GatewayLookup, GatewayRequest, GatewayServer, RefusedKey } from "@/lib/gateway/types";
export type { GatewayApprovals } from "@/lib/gateway/held-call-stream";

export function createGatewayHandler(deps: GatewayDeps): (request: GatewayRequest, serverId: string) => Promise<Response> {
  const gw = createGatewayInstance(deps);
  return async function handle(request: GatewayRequest, serverId: string): Promise<Response> {
    const started = performance.now();
    // The body is read once, even when the request starts again from the database (the node:http view already
    // does that itself).
    const once = request.textOnce ? request : readOnce(request);
    // Undefined when tracing is off: no span is made, and the stages skip every call on it.
    const trace = gw.deps.tracing?.request(request);
    let response: Response;
    try {
      response = await handleWithRestarts(gw, once, serverId, started, trace);
    } catch (error) {
      trace?.end(null, error);
      throw error;
    }
    gw.deps.metrics?.requestMs(performance.now() - started);
    trace?.end(response.status);
    return response;
  };
}

function readOnce(request: GatewayRequest): GatewayRequest {
  let body: Promise<string | null> | null = null;
  return { ...request, text: (limit) => (body ??= request.text(limit)), textOnce: true };
}

async function handleWithRestarts(gw: GatewayInstance, request: GatewayRequest, serverId: string, started: number, trace: RequestTrace | undefined): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      const ex = await authenticate(gw, request, serverId, attempt > 0, started, trace);
      if (ex instanceof Response) return ex;
      return await byMethod(gw, ex);
    } catch (error) {
      if (!(error instanceof StaleLookup)) throw error;
      // Nothing was counted, recorded or forwarded: read the database and decide again (changes racing the
      // request more than twice get a "try again").
      if (attempt >= 2) return unavailableAnswer(1);
    }
  }
}

function byMethod(gw: GatewayInstance, ex: Exchange): Promise<Response> | Response {
  switch (ex.request.method) {
    case "POST":
      return handlePost(gw, ex);
    case "GET":
      return handleGet(gw, ex);
    case "DELETE":
      return handleDelete(gw, ex);
    default:
      return methodNotAllowedAnswer();
  }
}
