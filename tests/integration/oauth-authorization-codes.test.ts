import { createHash } from "node:crypto";
import { OAuthTokensSchema } from "@modelcontextprotocol/sdk/shared/auth.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeGrant } from "@/lib/grants/grants";
import { AUTHORIZATION_CODE_TTL_MS, exchangeAuthorizationCode, issueAuthorizationCode, type NewAuthorizationCode } from "@/lib/oauth/authorization-codes";
import { refreshAccessToken, verifyAccessToken } from "@/lib/oauth/tokens";
import { addServer, createTenant, oauthRefusal, pkcePair, REDIRECT_URI, registerTestClient, signIn, type Tenant } from "../support/oauth-fixtures";

// Authorization codes on the real PostgreSQL: issued only for what holds together, exchanged once, bound to the
// client, redirect URI, PKCE verifier and resource. Every refusal is checked by its exact OAuth error code.

let pool: pg.Pool;
let tenant: Tenant;
let stranger: Tenant;
let clientId: string;
let otherClientId: string;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  [tenant, stranger] = await Promise.all([createTenant(pool, "codes"), createTenant(pool, "codes-stranger")]);
  [clientId, otherClientId] = await Promise.all([registerTestClient(pool), registerTestClient(pool)]);
});

afterAll(async () => {
  await pool?.end();
});

function codeRequest(overrides: Partial<NewAuthorizationCode> = {}) {
  const { verifier, challenge } = pkcePair();
  const input: NewAuthorizationCode = {
    clientId,
    userId: tenant.userId,
    workspaceId: tenant.workspaceId,
    grantId: tenant.grantId,
    serverId: tenant.serverId,
    resource: tenant.resource,
    redirectUri: REDIRECT_URI,
    codeChallenge: challenge,
    scope: "mcp",
    ...overrides,
  };
  return { input, verifier };
}

async function issued(overrides: Partial<NewAuthorizationCode> = {}, now = new Date()) {
  const { input, verifier } = codeRequest(overrides);
  const code = await issueAuthorizationCode(pool, input, now);
  const exchange = { code, clientId: input.clientId, redirectUri: input.redirectUri, codeVerifier: verifier, resource: input.resource };
  return { code, verifier, exchange };
}

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

describe("exchanging a code", () => {
  it("returns a Bearer access token for an hour and a refresh token, stored only as digests", async () => {
    const { code, exchange } = await issued();
    const tokens = await exchangeAuthorizationCode(pool, exchange);
    expect(OAuthTokensSchema.parse(tokens)).toEqual(tokens);
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "mcp" });
    expect(tokens.access_token).toMatch(/^pco_at_[A-Za-z0-9_-]{43}$/);
    expect(tokens.refresh_token).toMatch(/^pco_rt_[A-Za-z0-9_-]{43}$/);

    const { rows } = await pool.query<{ token_hash: string; kind: string; resource: string; grant_id: string; workspace_id: string }>(
      `SELECT token_hash, kind, resource, grant_id, workspace_id FROM oauth_tokens WHERE token_hash = ANY ($1::text[]) ORDER BY kind`,
      [[sha256(tokens.access_token), sha256(tokens.refresh_token!)]],
    );
    expect(rows).toEqual([
      { token_hash: sha256(tokens.access_token), kind: "access", resource: tenant.resource, grant_id: tenant.grantId, workspace_id: tenant.workspaceId },
      { token_hash: sha256(tokens.refresh_token!), kind: "refresh", resource: tenant.resource, grant_id: tenant.grantId, workspace_id: tenant.workspaceId },
    ]);
    const clear = await pool.query(
      `SELECT 1 FROM oauth_tokens t, oauth_codes c WHERE t.token_hash IN ($1, $2) OR c.code_hash = $3 OR t.token_hash = $3`,
      [tokens.access_token, tokens.refresh_token, code],
    );
    expect(clear.rowCount).toBe(0);
    expect((await pool.query(`SELECT 1 FROM oauth_codes WHERE code_hash = $1`, [sha256(code)])).rowCount).toBe(1);
  });

  it("accepts a token request that leaves out resource (the code is bound to one already)", async () => {
    const { exchange } = await issued();
    const tokens = await exchangeAuthorizationCode(pool, { ...exchange, resource: undefined });
    expect((await verifyAccessToken(pool, tokens.access_token, { resource: tenant.resource, serverId: tenant.serverId })).ok).toBe(true);
  });

  it("refuses a replayed code and revokes the tokens issued from it", async () => {
    const { exchange } = await issued();
    const first = await exchangeAuthorizationCode(pool, exchange);
    expect(await oauthRefusal(exchangeAuthorizationCode(pool, exchange))).toEqual({
      code: "invalid_grant",
      message: "This authorization code was already used; a code works once, so the tokens issued from it are now revoked. Sign in again.",
    });
    const check = await verifyAccessToken(pool, first.access_token, { resource: tenant.resource, serverId: tenant.serverId });
    expect(check.ok ? null : check.reason).toBe("revoked");
    expect((await oauthRefusal(refreshAccessToken(pool, { refreshToken: first.refresh_token, clientId })))?.code).toBe("invalid_grant");
  });

  it("lets only one of two concurrent exchanges win, and revokes what the winner got", async () => {
    const { exchange } = await issued();
    const results = await Promise.allSettled([exchangeAuthorizationCode(pool, exchange), exchangeAuthorizationCode(pool, exchange)]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect([won.length, lost.length]).toEqual([1, 1]);
    expect((lost[0] as PromiseRejectedResult).reason.errorCode).toBe("invalid_grant");
    const tokens = (won[0] as PromiseFulfilledResult<{ access_token: string }>).value;
    const check = await verifyAccessToken(pool, tokens.access_token, { resource: tenant.resource, serverId: tenant.serverId });
    expect(check.ok ? null : check.reason).toBe("revoked");
  });

  it("refuses an expired code (60 s), and the code is used up", async () => {
    const issuedAt = new Date();
    const { exchange } = await issued({}, issuedAt);
    const late = new Date(issuedAt.getTime() + AUTHORIZATION_CODE_TTL_MS + 1);
    expect(await oauthRefusal(exchangeAuthorizationCode(pool, exchange, late))).toEqual({
      code: "invalid_grant",
      message: "The authorization code expired (codes last 60 seconds): sign in again.",
    });
    expect((await oauthRefusal(exchangeAuthorizationCode(pool, exchange, issuedAt)))?.code).toBe("invalid_grant");
  });

  it("accepts a code just before it expires", async () => {
    const issuedAt = new Date();
    const { exchange } = await issued({}, issuedAt);
    const tokens = await exchangeAuthorizationCode(pool, exchange, new Date(issuedAt.getTime() + AUTHORIZATION_CODE_TTL_MS - 1));
    expect(tokens.token_type).toBe("Bearer");
  });

  it("refuses a PKCE verifier that does not match, and the code is used up", async () => {
    const { exchange } = await issued();
    expect(await oauthRefusal(exchangeAuthorizationCode(pool, { ...exchange, codeVerifier: pkcePair().verifier }))).toEqual({
      code: "invalid_grant",
      message: "code_verifier does not match the code_challenge of the authorization request.",
    });
    expect((await oauthRefusal(exchangeAuthorizationCode(pool, exchange)))?.code).toBe("invalid_grant");
  });

  it("refuses a missing or malformed verifier before looking at the code", async () => {
    const { exchange } = await issued();
    expect((await oauthRefusal(exchangeAuthorizationCode(pool, { ...exchange, codeVerifier: undefined })))?.code).toBe("invalid_request");
    expect((await oauthRefusal(exchangeAuthorizationCode(pool, { ...exchange, codeVerifier: "too-short" })))?.code).toBe("invalid_request");
    expect((await exchangeAuthorizationCode(pool, exchange)).token_type).toBe("Bearer");
  });

  it.each([
    ["another redirect URI", { redirectUri: "http://127.0.0.1:33418/callback/" }, "invalid_grant", /redirect_uri is not the one of the authorization request/],
    ["another client", "other-client", "invalid_grant", /issued to another client/],
    ["another resource (wrong audience)", { resource: "https://portcullis.test/gateway/00000000-0000-4000-8000-000000000000/mcp" }, "invalid_target", /This authorization code is for https:\/\/portcullis\.test\/gateway\//],
  ] as const)("refuses %s, and the code is used up", async (_label, change, code, message) => {
    const { exchange } = await issued();
    const changed = change === "other-client" ? { ...exchange, clientId: otherClientId } : { ...exchange, ...change };
    const refused = await oauthRefusal(exchangeAuthorizationCode(pool, changed));
    expect(refused?.code).toBe(code);
    expect(refused?.message).toMatch(message);
    expect((await oauthRefusal(exchangeAuthorizationCode(pool, exchange)))?.code).toBe("invalid_grant");
  });

  it("refuses a code that was never issued", async () => {
    const refused = await oauthRefusal(
      exchangeAuthorizationCode(pool, { code: "A".repeat(43), clientId, redirectUri: REDIRECT_URI, codeVerifier: pkcePair().verifier }),
    );
    expect(refused?.code).toBe("invalid_grant");
    expect((await oauthRefusal(exchangeAuthorizationCode(pool, { code: "x", clientId, redirectUri: REDIRECT_URI, codeVerifier: pkcePair().verifier })))?.code).toBe(
      "invalid_grant",
    );
  });

  it("refuses a code whose grant was revoked after consent, and the code is used up", async () => {
    const own = await createTenant(pool, "codes-revoked");
    const { exchange } = await issued({ userId: own.userId, workspaceId: own.workspaceId, grantId: own.grantId, serverId: own.serverId, resource: own.resource });
    await revokeGrant(own.caller, own.grantId);
    expect(await oauthRefusal(exchangeAuthorizationCode(pool, exchange))).toEqual({
      code: "invalid_grant",
      message: "The grant chosen for this sign-in was revoked or no longer reaches this server: sign in again.",
    });
    expect((await pool.query(`SELECT 1 FROM oauth_codes WHERE used_at IS NOT NULL AND code_hash = $1`, [sha256(exchange.code)])).rowCount).toBe(1);
    expect((await pool.query(`SELECT 1 FROM oauth_tokens WHERE grant_id = $1`, [own.grantId])).rowCount).toBe(0);
  });
});

describe("issuing a code", () => {
  const codesOf = async (grantId: string) => Number((await pool.query(`SELECT count(*) FROM oauth_codes WHERE grant_id = $1`, [grantId])).rows[0].count);

  it.each([
    ["a redirect URI the client did not register (exact match)", () => ({ redirectUri: "http://127.0.0.1:33418/callback?next=https://evil.example" }), "invalid_request", "The redirect URI is not one this client registered."],
    ["an unknown client", () => ({ clientId: "no-such-client" }), "invalid_client", "This client is unknown to Portcullis."],
    ["a server in another workspace", () => ({ serverId: stranger.serverId }), "access_denied", "That server is not in this workspace."],
    ["a grant of another workspace", () => ({ grantId: stranger.grantId }), "access_denied", "That grant is not in this workspace, or it was revoked."],
    ["a workspace the user is not a member of", () => ({ workspaceId: stranger.workspaceId, grantId: stranger.grantId, serverId: stranger.serverId }), "access_denied", "You are not a member of that workspace."],
    ["a plain PKCE challenge (the verifier itself)", () => ({ codeChallenge: pkcePair().verifier + "abc" }), "invalid_request", "code_challenge is not an S256 challenge."],
    ["an unknown scope", () => ({ scope: "admin" }), "invalid_scope", 'Portcullis does not know the scope "admin": ask for "mcp".'],
  ] as const)("refuses %s, storing nothing", async (_label, change, code, message) => {
    const before = await codesOf(tenant.grantId);
    const { input } = codeRequest(change());
    expect(await oauthRefusal(issueAuthorizationCode(pool, input))).toEqual({ code, message });
    expect(await codesOf(tenant.grantId)).toBe(before);
  });

  it("refuses a grant that does not name the server", async () => {
    const { serverId, resource } = await addServer(pool, tenant.workspaceId, `second-${Date.now()}`);
    const { input } = codeRequest({ serverId, resource });
    expect(await oauthRefusal(issueAuthorizationCode(pool, input))).toEqual({ code: "access_denied", message: "That grant does not reach this server." });
  });

  it("keeps the code bound: another tenant's sign-in with the same client works on its own server only", async () => {
    const { tokens } = await signIn(pool, stranger, clientId);
    const own = await verifyAccessToken(pool, tokens.access_token, { resource: stranger.resource, serverId: stranger.serverId });
    const foreign = await verifyAccessToken(pool, tokens.access_token, { resource: tenant.resource, serverId: tenant.serverId });
    expect([own.ok, foreign.ok ? null : foreign.reason]).toEqual([true, "wrong_resource"]);
  });
});
