// The gateway suite runs against both ways the product mounts the handler. By default, as scripts/server.ts does:
// nodeGatewayListener on node:http (lib/gateway/node-adapter.ts). With PORTCULLIS_TEST_GATEWAY_MOUNT=route (npm run
// test:gateway-route), as the App Router route does under `next start` (app/gateway/[server]/mcp/route.ts and
// lib/gateway/next-route.ts): the request becomes a web Request with a streamed body, as Next.js's node server makes
// it, goes through the route's own code, and the web Response is streamed back chunk by chunk as Next.js writes it,
// with no length taken from buffered bytes. Paths that are no endpoint go to the route's serveGatewayAside, and a
// path whose escapes cannot be decoded is Next's own 400, as under next start.
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { createGatewayHandler } from "@/lib/gateway/handler";
import { nodeGatewayListener } from "@/lib/gateway/node-adapter";
import { serveGatewayAside, serveGatewayRoute, serveWebRequest } from "@/lib/gateway/next-route";

type Handler = ReturnType<typeof createGatewayHandler>;

export type GatewayMount = "node" | "route";
export const GATEWAY_MOUNT: GatewayMount = process.env.PORTCULLIS_TEST_GATEWAY_MOUNT === "route" ? "route" : "node";

export function gatewayListener(handler: Handler): RequestListener {
  return GATEWAY_MOUNT === "route" ? routeListener((request, serverId) => serveWebRequest(handler, request, serverId)) : nodeGatewayListener(handler);
}

/**
 * The App Router route itself (app/gateway/[server]/mcp/route.ts exports `serveGatewayRoute`), with the handler it
 * builds for its process from the environment, as under `next start`: for what that wiring adds (tracing, say).
 */
export function appRouteListener(route: typeof serveGatewayRoute): RequestListener {
  return routeListener((request, server) => route(request, { params: Promise.resolve({ server }) }));
}

const ENDPOINT = /^\/gateway\/([^/?]+)\/mcp\/?(?:\?.*)?$/;

function routeListener(serve: (request: Request, serverId: string) => Promise<Response>): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const controller = new AbortController();
      res.once("close", () => {
        if (!res.writableFinished) controller.abort();
      });
      const url = `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`;
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      let request: Request;
      try {
        request = new Request(url, {
          method: req.method,
          headers,
          body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
          duplex: "half",
          signal: controller.signal,
        } as RequestInit);
      } catch {
        res.writeHead(400).end("Bad Request");
        return;
      }
      const match = ENDPOINT.exec(req.url ?? "");
      let serverId: string | null = null;
      if (match?.[1]) {
        try {
          serverId = decodeURIComponent(match[1]);
        } catch {
          res.writeHead(400).end("Bad Request");
          return;
        }
      }
      const response = serverId === null ? await serveGatewayAside(request) : await serve(request, serverId);
      const out: Record<string, string[]> = {};
      response.headers.forEach((value, name) => (out[name] ??= []).push(value));
      res.writeHead(response.status, out);
      if (!response.body) return void res.end();
      res.flushHeaders();
      const reader = response.body.getReader();
      res.once("close", () => void reader.cancel().catch(() => {}));
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          res.write(value);
        }
      } catch {
        // the client or the upstream went away
      } finally {
        res.end();
      }
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
}
