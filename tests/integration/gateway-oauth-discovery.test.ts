import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { UnauthorizedError, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthClientInformationMixed, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { createGatewayHandler } from "@/lib/gateway/handler";
import { isGatewayPath } from "@/lib/gateway/node-adapter";
import { gatewayListener } from "../support/gateway-mount";
import { oauthAppListener } from "../support/oauth-app";
import { NO_OAUTH_DOCUMENT_HERE } from "@/lib/mcp/oauth-discovery";
import { getPool } from "@/lib/db/client";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import { createGrant, revokeGrant } from "@/lib/grants/grants";
import { registerServer } from "@/lib/servers/register-server";
import { startTestMcpServer, type TestMcpServer } from "../support/test-mcp-server";

// A wrong or revoked key, as clients that start an OAuth sign-in on a 401 see it: the 401 names the gateway URL's
// resource metadata, the authorization server's documents and endpoints are the app's, and the SDK client's
// OAuth-aware transport registers and sends the person to Portcullis's /authorize. Every other place clients look
// for OAuth answers a JSON 404 saying where the documents are. The server routes requests as scripts/server.ts does:
// the gateway first, then the app's OAuth routes (through their own route modules, as Next.js would run them), and
// whatever is left gets the console's HTML 404 page, as Next.js would answer.

let caller: Caller;
let upstream: TestMcpServer;
let serverId: string;
let server: Server;
let origin: string;

const CONSOLE_404 = `<!DOCTYPE html><html><body><p>404</p><h1>This page does not exist</h1>${" ".repeat(8000)}</body></html>`;

/** A client with nowhere to send a person for sign-in: it records where it would have sent them. */
function oauthProvider(): OAuthClientProvider & { redirectedTo: URL[] } {
  let client: OAuthClientInformationMixed | undefined;
  let tokens: OAuthTokens | undefined;
  let verifier = "";
  const redirectedTo: URL[] = [];
  return {
    redirectedTo,
    redirectUrl: "http://127.0.0.1:9/callback",
    clientMetadata: { client_name: "oauth discovery test", redirect_uris: ["http://127.0.0.1:9/callback"] },
    clientInformation: () => client,
    saveClientInformation: (information) => void (client = information),
    tokens: () => tokens,
    saveTokens: (saved) => void (tokens = saved),
    redirectToAuthorization: (url) => void redirectedTo.push(url),
    saveCodeVerifier: (saved) => void (verifier = saved),
    codeVerifier: () => verifier,
  };
}

/** Connects the 1.x SDK client with an OAuth provider, as mcp-remote and the Inspector do; resolves with its error. */
async function connectError(key: string): Promise<{ error: Error; provider: ReturnType<typeof oauthProvider> }> {
  const provider = oauthProvider();
  const client = new Client({ name: "oauth-discovery-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${origin}/gateway/${serverId}/mcp`), {
    authProvider: provider,
    requestInit: { headers: { authorization: `Bearer ${key}` } },
  });
  const error = await client.connect(transport).then(
    () => new Error("connected"),
    (e: unknown) => e as Error,
  );
  await client.close().catch(() => {});
  return { error, provider };
}

beforeAll(async () => {
  const account = await signUp({ email: `oauth-${randomUUID()}@example.com`, password: "a long test password" });
  caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
  upstream = await startTestMcpServer();
  serverId = (await registerServer(caller, { name: "oauth test", url: upstream.url, transport: "streamable_http" })).id;
  const gateway = gatewayListener(createGatewayHandler(createDatabaseGatewayDeps()));
  const app = oauthAppListener();
  server = createServer((req, res) => {
    if (isGatewayPath(req.url)) gateway(req, res);
    else
      void app(req, res).then((served) => {
        if (!served) res.writeHead(404, { "content-type": "text/html; charset=utf-8" }).end(CONSOLE_404);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await upstream?.close();
});

describe("where clients look for OAuth", () => {
  // Addresses clients try where Portcullis has no document (OpenID Connect discovery, documents under the gateway path).
  const elsewhere = () => [
    ["GET", "/.well-known/oauth-protected-resource"],
    ["GET", "/.well-known/openid-configuration"],
    ["GET", `/.well-known/openid-configuration/gateway/${serverId}/mcp`],
    ["GET", `/gateway/${serverId}/mcp/.well-known/openid-configuration`],
    ["GET", `/gateway/${serverId}/mcp/.well-known/oauth-protected-resource`],
    ["GET", `/gateway/${serverId}/.well-known/oauth-authorization-server`],
  ];

  it("answers every one 404 in JSON saying where the documents are, never the console's HTML page", async () => {
    for (const [method, path] of elsewhere()) {
      const response = await fetch(`${origin}${path}`, { method, headers: { "mcp-protocol-version": "2025-11-25" } });
      expect([path, response.status]).toEqual([path, 404]);
      expect([path, response.headers.get("content-type")]).toEqual([path, "application/json"]);
      expect(await response.json()).toEqual({ error: "invalid_request", error_description: NO_OAUTH_DOCUMENT_HERE });
    }
  });

  it("leaves the authorization server's documents and endpoints to the app", async () => {
    for (const path of [
      `/.well-known/oauth-protected-resource/gateway/${serverId}/mcp`,
      "/.well-known/oauth-authorization-server",
      `/.well-known/oauth-authorization-server/gateway/${serverId}/mcp`,
      "/register",
      "/token",
      "/revoke",
      "/authorize",
    ]) {
      expect([path, isGatewayPath(path)]).toEqual([path, false]);
    }
    const metadata = await fetch(`${origin}/.well-known/oauth-protected-resource/gateway/${serverId}/mcp`);
    expect(metadata.status).toBe(200);
    expect(await metadata.json()).toMatchObject({ resource: `${origin}/gateway/${serverId}/mcp`, authorization_servers: [origin] });
  });

  it("answers a path under /gateway/ that is no endpoint in JSON, saying what a gateway URL is", async () => {
    const response = await fetch(`${origin}/gateway/${serverId}/sse`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/gateway URLs are \/gateway\/<server id>\/mcp/);
  });

  it("leaves every other path to the console", async () => {
    const response = await fetch(`${origin}/.well-known/security.txt`);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    await response.body?.cancel();
  });
});

describe("a wrong or revoked key, through the SDK client's OAuth-aware transport", () => {
  it("answers the 401 itself in JSON, naming the resource metadata to sign in from", async () => {
    const response = await fetch(`${origin}/gateway/${serverId}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: "Bearer pcg_wrong" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
    expect(response.headers.get("www-authenticate")).toContain(`resource_metadata="${origin}/.well-known/oauth-protected-resource/gateway/${serverId}/mcp"`);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/not valid for this server.*Grants page/);
  });

  /** The client registered itself, and the person is sent to Portcullis's consent page for this gateway URL. */
  async function expectSentToSignIn(provider: ReturnType<typeof oauthProvider>, error: Error) {
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(provider.redirectedTo).toHaveLength(1);
    const to = provider.redirectedTo[0]!;
    expect(`${to.origin}${to.pathname}`).toBe(`${origin}/authorize`);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      response_type: "code",
      code_challenge_method: "S256",
      redirect_uri: "http://127.0.0.1:9/callback",
      resource: `${origin}/gateway/${serverId}/mcp`,
      scope: "mcp",
    });
    const clientId = to.searchParams.get("client_id")!;
    const { rows } = await getPool().query(`SELECT kind, client_name FROM oauth_clients WHERE client_id = $1`, [clientId]);
    expect(rows).toEqual([{ kind: "registered", client_name: "oauth discovery test" }]);
  }

  it("starts Portcullis's sign-in for a key that does not exist", async () => {
    const { error, provider } = await connectError(`pcg_${"x".repeat(43)}`);
    await expectSentToSignIn(provider, error);
  });

  it("starts Portcullis's sign-in for a revoked key", async () => {
    const { grant, key } = await createGrant(caller, { name: "to revoke", serverIds: [serverId] });
    await revokeGrant(caller, grant.id);
    const { error, provider } = await connectError(key);
    await expectSentToSignIn(provider, error);
  });
});
