// The OAuth authorization server's App Router routes on node:http, for tests that run the gateway's node mount beside
// them as scripts/server.ts does (Next.js serves these routes there): each request becomes a web Request and goes
// to the route module's own exported handler. The client address is what scripts/server.ts would put in
// X-Forwarded-For: by default a network of this test file's own (an IPv6 /64 in the documentation range), so the
// registration limit per network is not shared with other test files.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as authorizationServerGatewayRoute from "@/app/.well-known/oauth-authorization-server/gateway/[server]/mcp/route";
import * as authorizationServerRoute from "@/app/.well-known/oauth-authorization-server/route";
import * as protectedResourceRoute from "@/app/.well-known/oauth-protected-resource/gateway/[server]/mcp/route";
import * as consentRoute from "@/app/(oauth)/authorize/consent/route";
import * as registerRoute from "@/app/register/route";
import * as revokeRoute from "@/app/revoke/route";
import * as tokenRoute from "@/app/token/route";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;
type RouteModule = Partial<Record<"GET" | "POST" | "OPTIONS", unknown>>;

const ROUTES: [RegExp, RouteModule][] = [
  [/^\/\.well-known\/oauth-protected-resource\/gateway\/(?<server>[^/]+)\/mcp$/, protectedResourceRoute],
  [/^\/\.well-known\/oauth-authorization-server\/gateway\/(?<server>[^/]+)\/mcp$/, authorizationServerGatewayRoute],
  [/^\/\.well-known\/oauth-authorization-server$/, authorizationServerRoute],
  [/^\/register$/, registerRoute],
  [/^\/token$/, tokenRoute],
  [/^\/revoke$/, revokeRoute],
  [/^\/authorize\/consent$/, consentRoute],
];

/** A client address on a network no other test file uses. */
export function testClientAddress(): string {
  const group = () => randomBytes(2).toString("hex");
  return `2001:db8:${group()}:${group()}::1`;
}

/** Serves the request when it is one of the routes above and returns true; false leaves it to the caller. */
export function oauthAppListener(options: { clientAddress?: string } = {}) {
  const address = options.clientAddress ?? testClientAddress();
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    const route = ROUTES.find(([pattern]) => pattern.test(url.pathname));
    if (!route) return false;
    const [pattern, module] = route;
    const params = Object.fromEntries(Object.entries(pattern.exec(url.pathname)?.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
    const handler = module[(req.method ?? "GET") as "GET"] as Handler | undefined;
    if (!handler) {
      res.writeHead(405).end();
      return true;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    // scripts/server.ts writes the client's address here; a test may name one itself (the registration limit's tests).
    if (!headers.has("x-forwarded-for")) headers.set("x-forwarded-for", address);
    const hasBody = req.method !== "GET" && req.method !== "HEAD" && req.method !== "OPTIONS";
    const response = await handler(new Request(url, { method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined }), { params: Promise.resolve(params) });
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => (out[name] = value));
    res.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
    return true;
  };
}
