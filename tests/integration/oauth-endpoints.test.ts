import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { UnauthorizedError, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  OAuthClientInformationFullSchema,
  OAuthMetadataSchema,
  OAuthProtectedResourceMetadataSchema,
  OAuthTokensSchema,
  type OAuthClientInformationMixed,
  type OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { startSession } from "@/lib/auth/start-session";
import { getPool } from "@/lib/db/client";
import { authSecret } from "@/lib/env";
import { createGatewayHandler } from "@/lib/gateway/handler";
import { isGatewayPath } from "@/lib/gateway/node-adapter";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import { createGrant, listGrants, revokeGrant } from "@/lib/grants/grants";
import { checkAuthorizationRequest } from "@/lib/oauth/check-authorization-request";
import { openConsent, type ConsentView } from "@/lib/oauth/consents";
import { s256 } from "@/lib/oauth/pkce";
import { verifyAccessToken } from "@/lib/oauth/tokens";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import { registerServer } from "@/lib/servers/register-server";
import { gatewayListener } from "../support/gateway-mount";
import { oauthAppListener } from "../support/oauth-app";
import { startTestMcpServer, type TestMcpServer } from "../support/test-mcp-server";

// The OAuth authorization server's HTTP layer (issue 21) on the real PostgreSQL: the discovery documents, client
// registration, the authorization request's checks and the consent form's POST (what GET /authorize runs before and
// after sign-in; the page itself is driven in a browser by e2e/oauth.spec.ts), the token and revocation endpoints.
// The routes run through their own App Router modules on node:http, beside the gateway's node mount, as
// scripts/server.ts serves them; the last part is the whole flow with the official SDK client and a real MCP upstream.

const REDIRECT_URI = "http://127.0.0.1:33418/callback";
const POLICY = JSON.stringify({ version: "1", default: "deny", tools: { list_files: {} } });

let server: Server;
let origin: string;
let upstream: TestMcpServer;
let caller: Caller;
let stranger: Caller;
let serverId: string;
let strangerServerId: string;
let sessionId: string;
let cookie: string;
let clientId: string;
let resource: string;

async function account(label: string): Promise<Caller> {
  const created = await signUp({ email: `${label}-${randomUUID()}@example.com`, password: "a long test password" });
  return { userId: created.user.id, email: created.user.email, workspaceId: created.workspace.id, via: "session" };
}

/** A signed-in browser's session: its id, and the cookie next-auth would set for it. */
async function session(userId: string): Promise<{ id: string; cookie: string }> {
  const id = await startSession(userId);
  return { id, cookie: `next-auth.session-token=${await encode({ token: { sid: id }, secret: authSecret() })}` };
}

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${origin}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
}

function postForm(path: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${origin}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(params) });
}

async function register(metadata: Record<string, unknown> = {}): Promise<string> {
  const response = await postJson("/register", { client_name: "Test client", redirect_uris: [REDIRECT_URI], ...metadata });
  expect(response.status).toBe(201);
  return ((await response.json()) as { client_id: string }).client_id;
}

function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: s256(verifier) };
}

function authorizationParams(overrides: Record<string, string | null> = {}, challenge = pkce().challenge): URLSearchParams {
  const all: Record<string, string | null> = {
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    code_challenge: challenge,
    code_challenge_method: "S256",
    resource,
    scope: "mcp",
    state: "state-123",
    ...overrides,
  };
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(all)) if (value !== null) params.set(name, value);
  return params;
}

/** What GET /authorize does for the signed-in caller: the checks, then the consent page's view (and its stored request). */
async function consentPage(params: URLSearchParams, who = caller, sid = sessionId): Promise<ConsentView> {
  const check = await checkAuthorizationRequest(getPool(), params, origin);
  if (check.outcome !== "consent") throw new Error(`expected the consent page, got ${JSON.stringify(check)}`);
  const opened = await openConsent(getPool(), { caller: who, sessionId: sid, request: check.request, client: check.client, serverId: check.serverId, issuer: origin });
  if (!opened.ok) throw opened.error;
  return opened.view;
}

function answer(view: ConsentView, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return postJson(
    "/authorize/consent",
    { consent: view.consentId, csrfToken: view.csrfToken, decision: "approve", grant: "new", ...body },
    { origin, cookie, ...headers },
  );
}

/** Consent given for a new grant: the code the client receives, with its verifier. */
async function code(): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const response = await answer(await consentPage(authorizationParams({}, challenge)));
  expect(response.status).toBe(200);
  const redirectTo = new URL(((await response.json()) as { redirectTo: string }).redirectTo);
  return { code: redirectTo.searchParams.get("code")!, verifier };
}

function exchange(codeValue: string, verifier: string, overrides: Record<string, string> = {}) {
  return postForm("/token", { grant_type: "authorization_code", code: codeValue, code_verifier: verifier, client_id: clientId, redirect_uri: REDIRECT_URI, resource, ...overrides });
}

async function tokens(): Promise<OAuthTokens & { refresh_token: string }> {
  const { code: value, verifier } = await code();
  const response = await exchange(value, verifier);
  expect(response.status).toBe(200);
  return (await response.json()) as OAuthTokens & { refresh_token: string };
}

const accessState = async (token: string) => {
  const check = await verifyAccessToken(getPool(), token, { resource, serverId });
  return check.ok ? "valid" : check.reason;
};

beforeAll(async () => {
  [caller, stranger] = await Promise.all([account("oauth-endpoints"), account("oauth-stranger")]);
  upstream = await startTestMcpServer();
  serverId = (await registerServer(caller, { name: "files", url: upstream.url, transport: "streamable_http" })).id;
  await savePolicyVersion(caller, serverId, { text: POLICY, message: "list_files only" });
  strangerServerId = (await registerServer(stranger, { name: "stranger files", url: upstream.url, transport: "streamable_http" })).id;
  ({ id: sessionId, cookie } = await session(caller.userId));

  const gateway = gatewayListener(createGatewayHandler(createDatabaseGatewayDeps()));
  const app = oauthAppListener();
  server = createServer((req, res) => {
    if (isGatewayPath(req.url)) gateway(req, res);
    else
      void app(req, res).then((served) => {
        if (!served) res.writeHead(404, { "content-type": "text/html" }).end("<p>console</p>");
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  resource = `${origin}/gateway/${serverId}/mcp`;
  clientId = await register();
}, 60_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await upstream?.close();
});

describe("the discovery documents", () => {
  it("serves a gateway URL's protected resource metadata (RFC 9728), readable from any origin", async () => {
    const response = await fetch(`${origin}/.well-known/oauth-protected-resource/gateway/${serverId}/mcp`);
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const body = await response.json();
    expect(OAuthProtectedResourceMetadataSchema.parse(body)).toEqual(body);
    expect(body).toEqual({ resource, authorization_servers: [origin], scopes_supported: ["mcp"], bearer_methods_supported: ["header"] });
  });

  it("answers 404 in JSON for an id that is not a server", async () => {
    for (const id of [randomUUID(), "not-a-uuid"]) {
      for (const path of [`/.well-known/oauth-protected-resource/gateway/${id}/mcp`, `/.well-known/oauth-authorization-server/gateway/${id}/mcp`]) {
        const response = await fetch(`${origin}${path}`);
        expect([path, response.status]).toEqual([path, 404]);
        expect(response.headers.get("access-control-allow-origin")).toBe("*");
        expect(await response.json()).toMatchObject({ error: "not_found", error_description: expect.stringContaining("No Portcullis server has the id") });
      }
    }
  });

  it("serves the authorization server metadata (RFC 8414) at the root and under the gateway path", async () => {
    for (const path of ["/.well-known/oauth-authorization-server", `/.well-known/oauth-authorization-server/gateway/${serverId}/mcp`]) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      const body = await response.json();
      expect(OAuthMetadataSchema.parse(body)).toEqual(body);
      expect(body).toMatchObject({
        issuer: origin,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        registration_endpoint: `${origin}/register`,
        revocation_endpoint: `${origin}/revoke`,
        code_challenge_methods_supported: ["S256"],
        client_id_metadata_document_supported: true,
      });
    }
  });

  it("answers a browser's preflight", async () => {
    const response = await fetch(`${origin}/.well-known/oauth-protected-resource/gateway/${serverId}/mcp`, {
      method: "OPTIONS",
      headers: { origin: "https://inspector.example", "access-control-request-method": "GET", "access-control-request-headers": "mcp-protocol-version" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toContain("mcp-protocol-version");
  });
});

describe("POST /register", () => {
  it("registers a public client and answers its client information (RFC 7591)", async () => {
    const response = await postJson("/register", { client_name: "Registered here", redirect_uris: [REDIRECT_URI], scope: "mcp" });
    expect(response.status).toBe(201);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const body = await response.json();
    expect(OAuthClientInformationFullSchema.parse(body)).toEqual(body);
    expect(body).toMatchObject({ client_name: "Registered here", redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: "none" });
    expect(body).not.toHaveProperty("client_secret");
    const { rows } = await getPool().query(`SELECT kind, client_name FROM oauth_clients WHERE client_id = $1`, [body.client_id]);
    expect(rows).toEqual([{ kind: "registered", client_name: "Registered here" }]);
  });

  it.each<[string, string, Record<string, string>, string, RegExp]>([
    ["not JSON", "client_name=x", { "content-type": "application/x-www-form-urlencoded" }, "invalid_client_metadata", /as JSON/],
    ["malformed JSON", "{", {}, "invalid_client_metadata", /not valid JSON/],
    ["too large", JSON.stringify({ client_name: "x", redirect_uris: [REDIRECT_URI], software_id: "y".repeat(20_000) }), {}, "invalid_client_metadata", /larger than 16 KB/],
    ["an http redirect URI off loopback", JSON.stringify({ redirect_uris: ["http://evil.example/cb"] }), {}, "invalid_redirect_uri", /http on a host other than loopback/],
    ["a client secret method", JSON.stringify({ redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: "client_secret_basic" }), {}, "invalid_client_metadata", /public clients only/],
    ["no redirect URI", JSON.stringify({ client_name: "x" }), {}, "invalid_redirect_uri", /redirect_uris/],
  ])("refuses %s with an RFC 7591 error, storing nothing", async (_, body, headers, error, description) => {
    const marker = `refused-${randomUUID()}`;
    const withMarker = body.startsWith("{") && body.length > 1 ? JSON.stringify({ ...JSON.parse(body), client_name: marker }) : body;
    const response = await postJson("/register", withMarker, headers);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { error: string; error_description: string };
    expect(answer.error).toBe(error);
    expect(answer.error_description).toMatch(description);
    expect((await getPool().query(`SELECT 1 FROM oauth_clients WHERE client_name = $1`, [marker])).rowCount).toBe(0);
  });

  it("lets one network register 20 clients an hour, then answers 429 with Retry-After; other networks are not held up", async () => {
    const from = (address: string) => postJson("/register", { client_name: "Throttled", redirect_uris: [REDIRECT_URI] }, { "x-forwarded-for": address });
    for (let i = 0; i < 20; i++) expect((await from("198.51.100.7")).status).toBe(201);
    const refused = await from("198.51.100.7");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: "too_many_requests", error_description: expect.stringContaining("Too many clients were registered from your network") });
    expect((await from("198.51.100.8")).status).toBe(201);
  });
});

describe("GET /authorize: what is shown, what goes back to the client", () => {
  it("shows an unknown client, never redirecting", async () => {
    const check = await checkAuthorizationRequest(getPool(), authorizationParams({ client_id: randomUUID() }), origin);
    expect(check).toMatchObject({ outcome: "show", error: { errorCode: "invalid_client" } });
  });

  it.each([["http://127.0.0.1:33418/elsewhere"], [`${REDIRECT_URI}/`], ["https://evil.example/callback"]])(
    "shows a redirect URI the client did not register (%s), never redirecting to it",
    async (redirectUri) => {
      const check = await checkAuthorizationRequest(getPool(), authorizationParams({ redirect_uri: redirectUri }), origin);
      expect(check.outcome).toBe("show");
      expect(check.outcome === "show" && check.error.message).toMatch(/is not one this client registered/);
    },
  );

  it.each<[string, Record<string, string | null>, string, RegExp]>([
    ["no PKCE", { code_challenge: null, code_challenge_method: null }, "invalid_request", /PKCE is required/],
    ["plain PKCE", { code_challenge_method: "plain" }, "invalid_request", /"plain" is refused/],
    ["another response type", { response_type: "token" }, "unsupported_response_type", /must be "code"/],
    ["no resource", { resource: null }, "invalid_target", /resource is missing/],
    ["a resource that is no gateway URL here", { resource: `https://elsewhere.example/gateway/${randomUUID()}/mcp` }, "invalid_target", /not a gateway URL of this Portcullis/],
  ])("sends %s back to the client's redirect URI with the error, state and iss", async (_, overrides, error, description) => {
    const check = await checkAuthorizationRequest(getPool(), authorizationParams(overrides), origin);
    expect(check.outcome).toBe("redirect");
    const url = new URL(check.outcome === "redirect" ? check.url : "");
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT_URI);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ error, state: "state-123", iss: origin });
    expect(url.searchParams.get("error_description")).toMatch(description);
    expect(url.searchParams.has("code")).toBe(false);
  });

  it("takes a request without state (OAuth 2.1 allows it; PKCE protects the code)", async () => {
    const view = await consentPage(authorizationParams({ state: null }));
    const { rows } = await getPool().query(`SELECT state FROM oauth_consents WHERE id = $1`, [view.consentId]);
    expect(rows).toEqual([{ state: null }]);
  });

  it("refuses a gateway URL of another workspace after sign-in, storing no consent request", async () => {
    const params = authorizationParams({ resource: `${origin}/gateway/${strangerServerId}/mcp` });
    const check = await checkAuthorizationRequest(getPool(), params, origin);
    if (check.outcome !== "consent") throw new Error("expected the checks to pass before sign-in");
    const before = (await getPool().query(`SELECT count(*)::int AS n FROM oauth_consents WHERE server_id = $1`, [strangerServerId])).rows[0].n;
    const opened = await openConsent(getPool(), { caller, sessionId, request: check.request, client: check.client, serverId: check.serverId, issuer: origin });
    expect(opened.ok).toBe(false);
    expect(!opened.ok && opened.error.errorCode).toBe("access_denied");
    expect(!opened.ok && opened.error.message).toMatch(/is not a server of your workspace/);
    expect((await getPool().query(`SELECT count(*)::int AS n FROM oauth_consents WHERE server_id = $1`, [strangerServerId])).rows[0].n).toBe(before);
  });

  it("shows the client, the server and the grants that reach it on the consent page", async () => {
    const { grant } = await createGrant(caller, { name: "laptop agent", serverIds: [serverId] });
    const view = await consentPage(authorizationParams());
    expect(view.client).toMatchObject({ name: "Test client", registered: true, verifiedDomain: null, clientId });
    expect(view.redirect).toEqual({ host: "127.0.0.1", loopback: true, mismatch: false });
    expect(view.server).toEqual({ id: serverId, name: "files", gatewayUrl: resource, policyVersion: 1 });
    expect(view.grants.map((g) => g.name)).toContain("laptop agent");
    expect(view.grants.find((g) => g.id === grant.id)).toMatchObject({ serverCount: 1, lastUsedAt: null });
    expect(view.newGrantName).toBe("Test client");
    expect(view.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the token's digest is stored, with the session it is bound to.
    const { rows } = await getPool().query(`SELECT csrf_hash, session_hash FROM oauth_consents WHERE id = $1`, [view.consentId]);
    expect(rows).toEqual([{ csrf_hash: sha256(view.csrfToken), session_hash: sha256(sessionId) }]);
  });
});

describe("POST /authorize/consent", () => {
  const decided = async (view: ConsentView) => (await getPool().query(`SELECT decided_at FROM oauth_consents WHERE id = $1`, [view.consentId])).rows[0].decided_at;

  it("refuses an answer without the CSRF token, with a wrong one, or from another session of the same person", async () => {
    const view = await consentPage(authorizationParams());
    const otherSession = await session(caller.userId);
    const attempts: [string, Promise<Response>][] = [
      ["no token", answer(view, { csrfToken: undefined })],
      ["a wrong token", answer(view, { csrfToken: randomBytes(32).toString("base64url") })],
      ["another session's cookie", answer(view, {}, { cookie: otherSession.cookie })],
    ];
    for (const [label, attempt] of attempts) {
      const response = await attempt;
      expect([label, response.status]).toEqual([label, 403]);
      expect(await response.json()).toMatchObject({ code: "csrf_token_invalid" });
    }
    // Nothing was granted, and the consent is still there to be answered by the page that was shown.
    expect(await decided(view)).toBeNull();
    expect((await answer(view)).status).toBe(200);
  });

  it("refuses an answer from another site, from no page, or without a session", async () => {
    const view = await consentPage(authorizationParams());
    const cases: [string, Record<string, string>, number, string][] = [
      ["another origin", { origin: "https://evil.example" }, 403, "cross_origin"],
      ["the null origin", { origin: "null" }, 403, "cross_origin"],
      ["no session", { cookie: "" }, 401, "unauthenticated"],
    ];
    for (const [label, headers, status, problem] of cases) {
      const response = await answer(view, {}, headers);
      expect([label, response.status]).toEqual([label, status]);
      expect(await response.json()).toMatchObject({ code: problem });
    }
    const noOrigin = await fetch(`${origin}/authorize/consent`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ consent: view.consentId, csrfToken: view.csrfToken, decision: "approve", grant: "new" }),
    });
    expect(noOrigin.status).toBe(403);
    expect(await decided(view)).toBeNull();
  });

  it("approves with a new grant named after the client: the code goes back with state and iss, and is answered once", async () => {
    const view = await consentPage(authorizationParams());
    const response = await answer(view);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const redirectTo = new URL(((await response.json()) as { redirectTo: string }).redirectTo);
    expect(`${redirectTo.origin}${redirectTo.pathname}`).toBe(REDIRECT_URI);
    expect(redirectTo.searchParams.get("state")).toBe("state-123");
    expect(redirectTo.searchParams.get("iss")).toBe(origin);
    const codeValue = redirectTo.searchParams.get("code")!;
    const { rows } = await getPool().query<{ grant_id: string; name: string; oauth_client_id: string; servers: string[] }>(
      `SELECT c.grant_id, g.name, g.oauth_client_id, array(SELECT server_id::text FROM grant_servers WHERE grant_id = g.id) AS servers
         FROM oauth_codes c JOIN grants g ON g.id = c.grant_id WHERE c.code_hash = $1`,
      [sha256(codeValue)],
    );
    expect(rows).toEqual([{ grant_id: expect.any(String), name: "Test client", oauth_client_id: clientId, servers: [serverId] }]);

    // The same answer again (a replayed POST, a second tab): refused, and no second grant.
    const grantsBefore = (await getPool().query(`SELECT count(*)::int AS n FROM grants WHERE oauth_client_id = $1`, [clientId])).rows[0].n;
    const replay = await answer(view);
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ code: "consent_already_answered" });
    expect((await getPool().query(`SELECT count(*)::int AS n FROM grants WHERE oauth_client_id = $1`, [clientId])).rows[0].n).toBe(grantsBefore);
  });

  it("approves with an existing grant of the workspace that reaches the server", async () => {
    const { grant } = await createGrant(caller, { name: "shared grant", serverIds: [serverId] });
    const response = await answer(await consentPage(authorizationParams()), { grant: grant.id });
    expect(response.status).toBe(200);
    const codeValue = new URL(((await response.json()) as { redirectTo: string }).redirectTo).searchParams.get("code")!;
    const { rows } = await getPool().query(`SELECT grant_id FROM oauth_codes WHERE code_hash = $1`, [sha256(codeValue)]);
    expect(rows).toEqual([{ grant_id: grant.id }]);
  });

  it("refuses another workspace's grant, a revoked one, or one that does not reach the server, and lets the person choose again", async () => {
    const { grant: theirs } = await createGrant(stranger, { name: "theirs", serverIds: [strangerServerId] });
    const { grant: revoked } = await createGrant(caller, { name: "revoked", serverIds: [serverId] });
    await revokeGrant(caller, revoked.id);
    const view = await consentPage(authorizationParams());
    for (const grant of [theirs.id, revoked.id, randomUUID(), "not-a-grant"]) {
      const response = await answer(view, { grant });
      expect([grant, response.status]).toEqual([grant, 422]);
      expect(await response.json()).toMatchObject({ code: "grant_not_usable" });
    }
    expect(await decided(view)).toBeNull();
  });

  it("denies: the client gets access_denied with its state, and nothing is granted", async () => {
    const view = await consentPage(authorizationParams());
    const response = await answer(view, { decision: "deny" });
    expect(response.status).toBe(200);
    const redirectTo = new URL(((await response.json()) as { redirectTo: string }).redirectTo);
    expect(Object.fromEntries(redirectTo.searchParams)).toMatchObject({ error: "access_denied", state: "state-123", iss: origin });
    expect(redirectTo.searchParams.has("code")).toBe(false);
    expect((await answer(view)).status).toBe(409);
  });

  it("refuses a consent shown to another person", async () => {
    const view = await consentPage(authorizationParams());
    const theirSession = await session(stranger.userId);
    const response = await answer(view, {}, { cookie: theirSession.cookie });
    expect(response.status).toBe(404);
    expect(await decided(view)).toBeNull();
  });
});

describe("POST /token", () => {
  it("exchanges a code for tokens, never cached, readable from any origin", async () => {
    const { code: value, verifier } = await code();
    const response = await exchange(value, verifier);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const body = await response.json();
    expect(OAuthTokensSchema.parse(body)).toEqual(body);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "mcp" });
    expect(await accessState(body.access_token)).toBe("valid");
  });

  it("refuses a verifier that does not match the challenge, and burns the code", async () => {
    const { code: value, verifier } = await code();
    const wrong = await exchange(value, randomBytes(32).toString("base64url"));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: "invalid_grant", error_description: expect.stringContaining("code_verifier does not match") });
    expect((await exchange(value, verifier)).status).toBe(400);
  });

  it("refuses a replayed code and revokes the tokens it was exchanged for", async () => {
    const { code: value, verifier } = await code();
    const first = (await (await exchange(value, verifier)).json()) as OAuthTokens;
    const again = await exchange(value, verifier);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_grant", error_description: expect.stringContaining("already used") });
    expect(await accessState(first.access_token)).toBe("revoked");
  });

  it("rotates refresh tokens, and a reused one revokes the whole family", async () => {
    const first = await tokens();
    const refreshed = await postForm("/token", { grant_type: "refresh_token", refresh_token: first.refresh_token, client_id: clientId, resource });
    expect(refreshed.status).toBe(200);
    const second = (await refreshed.json()) as OAuthTokens & { refresh_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(await accessState(second.access_token)).toBe("valid");

    const reused = await postForm("/token", { grant_type: "refresh_token", refresh_token: first.refresh_token, client_id: clientId });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: "invalid_grant", error_description: expect.stringContaining("already used") });
    expect(await accessState(second.access_token)).toBe("revoked");
    expect((await postForm("/token", { grant_type: "refresh_token", refresh_token: second.refresh_token, client_id: clientId })).status).toBe(400);
  });

  it.each<[string, () => Promise<Response>, number, string]>([
    ["an unsupported grant type", () => postForm("/token", { grant_type: "client_credentials", client_id: "x" }), 400, "unsupported_grant_type"],
    ["no grant type", () => postForm("/token", { client_id: "x" }), 400, "invalid_request"],
    ["a JSON body", () => postJson("/token", { grant_type: "authorization_code" }), 400, "invalid_request"],
    ["a parameter sent twice", () => fetch(`${origin}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=refresh_token&grant_type=authorization_code" }), 400, "invalid_request"],
    ["a client secret", () => postForm("/token", { grant_type: "authorization_code" }, { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }), 401, "invalid_client"],
    ["an unknown code", () => exchange(randomBytes(32).toString("base64url"), randomBytes(32).toString("base64url")), 400, "invalid_grant"],
  ])("refuses %s with an OAuth error", async (_, send, status, error) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ error, error_description: expect.any(String) });
  });
});

describe("POST /revoke", () => {
  it("answers 200 for a token it does not know (RFC 7009)", async () => {
    for (const token of [`pco_at_${randomBytes(32).toString("base64url")}`, "garbage"]) {
      const response = await postForm("/revoke", { token, client_id: clientId });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("");
    }
  });

  it("revokes an access token, and a refresh token's whole family", async () => {
    const one = await tokens();
    expect((await postForm("/revoke", { token: one.access_token, client_id: clientId, token_type_hint: "access_token" })).status).toBe(200);
    expect(await accessState(one.access_token)).toBe("revoked");

    const two = await tokens();
    expect((await postForm("/revoke", { token: two.refresh_token, client_id: clientId })).status).toBe(200);
    expect(await accessState(two.access_token)).toBe("revoked");
    expect((await postForm("/token", { grant_type: "refresh_token", refresh_token: two.refresh_token, client_id: clientId })).status).toBe(400);
  });

  it("refuses a request without a token, and another client's token", async () => {
    const missing = await postForm("/revoke", { client_id: clientId });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: "invalid_request" });
    const theirs = await tokens();
    const other = await postForm("/revoke", { token: theirs.access_token, client_id: randomUUID() });
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: "unauthorized_client" });
    expect(await accessState(theirs.access_token)).toBe("valid");
  });
});

describe("an MCP client signs in with OAuth and calls tools through the gateway", () => {
  /** The SDK's OAuth client provider, kept in memory, as a desktop client keeps it on disk. */
  function provider() {
    let information: OAuthClientInformationMixed | undefined;
    let saved: OAuthTokens | undefined;
    let verifier = "";
    const redirectedTo: URL[] = [];
    const oauth: OAuthClientProvider = {
      redirectUrl: REDIRECT_URI,
      clientMetadata: { client_name: "SDK test client", redirect_uris: [REDIRECT_URI], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" },
      state: () => "sdk-state",
      clientInformation: () => information,
      saveClientInformation: (value) => void (information = value),
      tokens: () => saved,
      saveTokens: (value) => void (saved = value),
      redirectToAuthorization: (url) => void redirectedTo.push(url),
      saveCodeVerifier: (value) => void (verifier = value),
      codeVerifier: () => verifier,
    };
    return { oauth, redirectedTo, tokens: () => saved };
  }

  it("discovers, registers, gets consent and tokens, calls what the policy allows, and is refused once the grant is revoked", async () => {
    const { oauth, redirectedTo, tokens: saved } = provider();
    const gatewayUrl = new URL(resource);
    const first = new StreamableHTTPClientTransport(gatewayUrl, { authProvider: oauth });
    await expect(new Client({ name: "sdk-oauth", version: "1.0.0" }).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(redirectedTo).toHaveLength(1);

    // The person signs in and approves a new grant (what the consent page's form does), and the browser lands on the
    // client's redirect URI with the code.
    const view = await consentPage(new URL(redirectedTo[0]!).searchParams);
    expect(view.client.name).toBe("SDK test client");
    const consented = await answer(view);
    const landed = new URL(((await consented.json()) as { redirectTo: string }).redirectTo);
    expect(landed.searchParams.get("state")).toBe("sdk-state");
    await first.finishAuth(landed.searchParams.get("code")!);
    expect(saved()?.access_token).toMatch(/^pco_at_/);

    const client = new Client({ name: "sdk-oauth", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(gatewayUrl, { authProvider: oauth }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(["list_files"]);
      const result = await client.callTool({ name: "list_files", arguments: { path: "/" } });
      expect(result.isError).toBeFalsy();
      await expect(client.callTool({ name: "delete_file", arguments: { path: "/" } })).rejects.toMatchObject({ code: -32602 });
    } finally {
      await client.close();
    }

    // The Grants page shows the grant made for the client, with the client.
    const grant = (await listGrants(caller)).find((g) => g.oauthClients.some((c) => c.name === "SDK test client"))!;
    expect(grant).toMatchObject({ name: "SDK test client", oauthClientId: expect.any(String), serverIds: [serverId] });
    expect(grant.oauthClients).toEqual([
      { clientId: grant.oauthClientId, name: "SDK test client", domain: "127.0.0.1", registered: true, lastTokenAt: expect.any(String) },
    ]);

    // Revoking the grant stops its access token on the next request.
    await revokeGrant(caller, grant.id);
    const refused = await fetch(resource, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${saved()!.access_token}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });
});
