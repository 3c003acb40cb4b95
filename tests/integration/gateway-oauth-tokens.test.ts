import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { extractWWWAuthenticateParams } from "@modelcontextprotocol/sdk/client/auth.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { getPool } from "@/lib/db/client";
import { env } from "@/lib/env";
import { createGatewayHandler } from "@/lib/gateway/handler";
import { gatewayUrl } from "@/lib/gateway/gateway-url";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import { createGrant, revokeGrant } from "@/lib/grants/grants";
import { exchangeAuthorizationCode, issueAuthorizationCode } from "@/lib/oauth/authorization-codes";
import { s256 } from "@/lib/oauth/pkce";
import { registerClient } from "@/lib/oauth/register-client";
import { revokeToken } from "@/lib/oauth/tokens";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import { registerServer } from "@/lib/servers/register-server";
import { gatewayListener } from "../support/gateway-mount";
import { startTestMcpServer, type TestMcpServer } from "../support/test-mcp-server";

// OAuth access tokens at the gateway (issue 21): a token is a credential for its grant at exactly the gateway URL it
// was issued for (RFC 8707), checked by the lookup and confirmed again by the admit statement, so a token revoked or
// expired since the lookup was cached is refused on its next call, before anything is forwarded. Every 401 names the
// protected resource metadata (RFC 9728) clients start their sign-in from. Real PostgreSQL, a real MCP upstream, the
// SDK client.

const REDIRECT_URI = "http://127.0.0.1:33418/callback";

let caller: Caller;
let upstream: TestMcpServer;
let gateway: Server;
let origin: string;
let serverId: string;
let otherServerId: string;
let grantId: string;
let clientId: string;
const clients: Client[] = [];

const textOf = (result: unknown) => ((result as { content: { text: string }[] }).content[0]?.text ?? "");

/** Signs in as an OAuth client would after consent: a code for the grant at `resource`, exchanged with PKCE. */
async function accessToken(resource: string, forServer = serverId, forGrant = grantId): Promise<{ access: string; refresh: string }> {
  const verifier = randomBytes(32).toString("base64url");
  const code = await issueAuthorizationCode(getPool(), {
    clientId,
    userId: caller.userId,
    workspaceId: caller.workspaceId,
    grantId: forGrant,
    serverId: forServer,
    resource,
    redirectUri: REDIRECT_URI,
    codeChallenge: s256(verifier),
    scope: "mcp",
  });
  const tokens = await exchangeAuthorizationCode(getPool(), { code, clientId, redirectUri: REDIRECT_URI, codeVerifier: verifier, resource });
  return { access: tokens.access_token, refresh: tokens.refresh_token! };
}

async function connect(url: string, token: string): Promise<Client> {
  const client = new Client({ name: "oauth-gateway-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  clients.push(client);
  return client;
}

/** A raw tools/list with this bearer: the status and the WWW-Authenticate parameters of a 401. */
async function raw(url: string, token: string | null) {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }),
  });
  await response.text();
  return { status: response.status, header: response.headers.get("www-authenticate"), params: extractWWWAuthenticateParams(response) };
}

beforeAll(async () => {
  const account = await signUp({ email: `oauth-gateway-${randomUUID()}@example.com`, password: "a long test password" });
  caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
  upstream = await startTestMcpServer();
  serverId = (await registerServer(caller, { name: "files", url: upstream.url, transport: "streamable_http" })).id;
  otherServerId = (await registerServer(caller, { name: "files again", url: upstream.url, transport: "streamable_http" })).id;
  for (const id of [serverId, otherServerId]) {
    await savePolicyVersion(caller, id, { text: JSON.stringify({ version: "1", default: "deny", tools: { list_files: {} } }), message: "list only" });
  }
  grantId = (await createGrant(caller, { name: "OAuth: test client", serverIds: [serverId, otherServerId] })).grant.id;
  clientId = (await registerClient(getPool(), { client_name: "Test client", redirect_uris: [REDIRECT_URI] })).client_id;
  gateway = createServer(gatewayListener(createGatewayHandler(createDatabaseGatewayDeps())));
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  gateway?.closeAllConnections();
  await new Promise((resolve) => gateway?.close(resolve));
  await upstream?.close();
});

describe("an OAuth access token at the gateway", () => {
  it("works as its grant's credential at its own gateway URL: tools listed and called under the grant's policy, recorded", async () => {
    const url = gatewayUrl(origin, serverId);
    const { access } = await accessToken(url);
    const client = await connect(url, access);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["list_files"]);
    expect(textOf(await client.callTool({ name: "list_files", arguments: { path: "/tmp" } }))).toBe("called list_files");
    await expect(client.callTool({ name: "delete_file", arguments: { path: "/tmp" } })).rejects.toMatchObject({ code: -32602 });
    // The upstream never sees the token, and the trail names the grant.
    expect(upstream.seenAuthorization.some((h) => h.includes("pco_"))).toBe(false);
    const { rows } = await getPool().query<{ grant_id: string; decision: string }>(
      `SELECT grant_id, decision FROM audit_events WHERE server_id = $1 AND method = 'tools/call' ORDER BY at`,
      [serverId],
    );
    expect(rows.map((r) => [r.grant_id, r.decision])).toEqual([
      [grantId, "allow"],
      [grantId, "deny"],
    ]);
  });

  it("is refused at another server's URL and at the same server on another origin (wrong audience)", async () => {
    const { access } = await accessToken(gatewayUrl(origin, serverId));
    const elsewhere = await raw(gatewayUrl(origin, otherServerId), access);
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.params.error).toBe("invalid_token");
    // The same server, reached under another name for this machine: not the URL the token was issued for.
    const { port } = new URL(origin);
    const otherName = await raw(`http://localhost:${port}/gateway/${serverId}/mcp`, access);
    expect(otherName.status).toBe(401);
    // A refresh token is not an access token.
    const { refresh } = await accessToken(gatewayUrl(origin, serverId));
    expect((await raw(gatewayUrl(origin, serverId), refresh)).status).toBe(401);
  });

  it("stops at once when revoked, even while the gateway serves its lookup from memory", async () => {
    const url = gatewayUrl(origin, serverId);
    const { access, refresh } = await accessToken(url);
    const client = await connect(url, access);
    expect(textOf(await client.callTool({ name: "list_files", arguments: {} }))).toBe("called list_files");
    // Revoking the refresh token revokes its whole family, the access token with it (RFC 7009).
    await revokeToken(getPool(), { token: refresh, clientId });
    await expect(client.callTool({ name: "list_files", arguments: {} })).rejects.toThrow();
    expect((await raw(url, access)).status).toBe(401);
  });

  it("stops when its grant is revoked, and when it expires", async () => {
    const grant = await createGrant(caller, { name: "OAuth: short-lived", serverIds: [serverId] });
    const url = gatewayUrl(origin, serverId);
    const first = await accessToken(url, serverId, grant.grant.id);
    const client = await connect(url, first.access);
    expect(textOf(await client.callTool({ name: "list_files", arguments: {} }))).toBe("called list_files");
    await revokeGrant(caller, grant.grant.id);
    await expect(client.callTool({ name: "list_files", arguments: {} })).rejects.toThrow();

    const second = await accessToken(url);
    const live = await connect(url, second.access);
    expect(textOf(await live.callTool({ name: "list_files", arguments: {} }))).toBe("called list_files");
    // Expired since the gateway cached its lookup: the admit statement refuses it before anything is forwarded.
    const calls = upstream.calls.length;
    await getPool().query(`UPDATE oauth_tokens SET expires_at = now() - interval '1 second' WHERE kind = 'access' AND family_id IN (SELECT family_id FROM oauth_tokens WHERE grant_id = $1)`, [grantId]);
    await expect(live.callTool({ name: "list_files", arguments: {} })).rejects.toThrow();
    expect(upstream.calls.length).toBe(calls);
  });
});

describe("behind a public URL (PORTCULLIS_PUBLIC_URL)", () => {
  it("takes tokens issued for the public gateway URL, whatever name the request reached this instance by, and names that URL's metadata", async () => {
    const publicOrigin = "https://portcullis.example";
    const before = env.PORTCULLIS_PUBLIC_URL;
    env.PORTCULLIS_PUBLIC_URL = publicOrigin;
    try {
      const { access } = await accessToken(gatewayUrl(publicOrigin, serverId));
      const client = await connect(gatewayUrl(origin, serverId), access);
      expect(textOf(await client.callTool({ name: "list_files", arguments: {} }))).toBe("called list_files");
      // A token for the instance's own address is not one for the public URL.
      const { access: local } = await accessToken(gatewayUrl(origin, serverId));
      expect((await raw(gatewayUrl(origin, serverId), local)).status).toBe(401);
      const none = await raw(gatewayUrl(origin, serverId), null);
      expect(none.params.resourceMetadataUrl?.href).toBe(`${publicOrigin}/.well-known/oauth-protected-resource/gateway/${serverId}/mcp`);
    } finally {
      env.PORTCULLIS_PUBLIC_URL = before;
    }
  });
});

describe("a 401 from the gateway", () => {
  it("names the protected resource metadata of this gateway URL, and says invalid_token when a credential was sent", async () => {
    const url = gatewayUrl(origin, serverId);
    const none = await raw(url, null);
    expect(none.status).toBe(401);
    expect(none.params.resourceMetadataUrl?.href).toBe(`${origin}/.well-known/oauth-protected-resource/gateway/${serverId}/mcp`);
    expect(none.params.scope).toBe("mcp");
    expect(none.params.error).toBeUndefined();
    const wrong = await raw(url, `pco_at_${randomBytes(32).toString("base64url")}`);
    expect(wrong.status).toBe(401);
    expect(wrong.params.resourceMetadataUrl?.href).toBe(none.params.resourceMetadataUrl?.href);
    expect(wrong.params.error).toBe("invalid_token");
    expect(wrong.header).not.toContain("pco_at_");
  });
});
