import { OAuthTokensSchema } from "@modelcontextprotocol/sdk/shared/auth.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateGrantKey } from "@/lib/grants/grant-key";
import { revokeGrant } from "@/lib/grants/grants";
import { ACCESS_TOKEN_TTL_MS, findAccessToken, refreshAccessToken, REFRESH_TOKEN_TTL_MS, revokeToken, verifyAccessToken } from "@/lib/oauth/tokens";
import { deleteExpiredOAuthRows, KEEP_AFTER_EXPIRY_MS } from "@/lib/oauth/housekeeping";
import { generateOAuthToken } from "@/lib/oauth/secrets";
import { createTenant, oauthRefusal, registerTestClient, signIn, type Tenant } from "../support/oauth-fixtures";

// Access and refresh tokens on the real PostgreSQL: the audience binding, expiry, revocation (of a token, a family,
// a grant), refresh rotation with reuse detection. Every refusal is checked by its exact OAuth error code.

let pool: pg.Pool;
let tenant: Tenant;
let other: Tenant;
let clientId: string;
let otherClientId: string;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  [tenant, other] = await Promise.all([createTenant(pool, "tokens"), createTenant(pool, "tokens-other")]);
  [clientId, otherClientId] = await Promise.all([registerTestClient(pool), registerTestClient(pool)]);
});

afterAll(async () => {
  await pool?.end();
});

const at = (t: Tenant) => ({ resource: t.resource, serverId: t.serverId });
const reason = async (token: string, t: Tenant = tenant, now?: Date) => {
  const check = await verifyAccessToken(pool, token, at(t), now);
  return check.ok ? "ok" : { reason: check.reason, code: check.error.errorCode, message: check.error.message };
};

describe("access tokens at the gateway", () => {
  it("are accepted for their own gateway URL, with the grant, server, workspace and expiry", async () => {
    const now = new Date();
    const { tokens } = await signIn(pool, tenant, clientId, now);
    const check = await verifyAccessToken(pool, tokens.access_token, at(tenant), now);
    expect(check).toEqual({
      ok: true,
      token: {
        grantId: tenant.grantId,
        serverId: tenant.serverId,
        resource: tenant.resource,
        workspaceId: tenant.workspaceId,
        clientId,
        scope: "mcp",
        expiresAt: new Date(now.getTime() + ACCESS_TOKEN_TTL_MS),
      },
    });
    expect(await findAccessToken(pool, tokens.access_token, now)).toEqual(check.ok ? check.token : null);
  });

  it("are refused by another server's gateway URL (wrong audience), with invalid_token", async () => {
    const { tokens } = await signIn(pool, tenant, clientId);
    expect(await reason(tokens.access_token, other)).toEqual({
      reason: "wrong_resource",
      code: "invalid_token",
      message: "The access token was issued for another server's gateway URL, not this one.",
    });
    // The same server on another origin is another resource too.
    const elsewhere = await verifyAccessToken(pool, tokens.access_token, { resource: tenant.resource.replace("https://portcullis.test", "https://other.test"), serverId: tenant.serverId });
    expect(elsewhere.ok ? "ok" : elsewhere.reason).toBe("wrong_resource");
  });

  it("expire after an hour", async () => {
    const now = new Date();
    const { tokens } = await signIn(pool, tenant, clientId, now);
    expect(await reason(tokens.access_token, tenant, new Date(now.getTime() + ACCESS_TOKEN_TTL_MS - 1))).toBe("ok");
    const late = new Date(now.getTime() + ACCESS_TOKEN_TTL_MS);
    expect(await reason(tokens.access_token, tenant, late)).toEqual({ reason: "expired", code: "invalid_token", message: "The access token expired: refresh it or sign in again." });
    expect(await findAccessToken(pool, tokens.access_token, late)).toBeNull();
  });

  it("stop at once when their grant is revoked", async () => {
    const own = await createTenant(pool, "tokens-grant-revoked");
    const { tokens } = await signIn(pool, own, clientId);
    expect(await reason(tokens.access_token, own)).toBe("ok");
    await revokeGrant(own.caller, own.grantId);
    expect(await reason(tokens.access_token, own)).toEqual({ reason: "revoked", code: "invalid_token", message: "The access token was revoked: sign in again." });
    expect(await findAccessToken(pool, tokens.access_token)).toBeNull();
    expect(await oauthRefusal(refreshAccessToken(pool, { refreshToken: tokens.refresh_token, clientId }))).toEqual({
      code: "invalid_grant",
      message: "The grant behind this sign-in was revoked or no longer reaches this server: sign in again.",
    });
  });

  it("stop when their grant no longer names the server", async () => {
    const own = await createTenant(pool, "tokens-not-granted");
    const { tokens } = await signIn(pool, own, clientId);
    await pool.query(`DELETE FROM grant_servers WHERE grant_id = $1`, [own.grantId]);
    expect(await reason(tokens.access_token, own)).toMatchObject({ reason: "not_granted", code: "invalid_token" });
    expect(await findAccessToken(pool, tokens.access_token)).toBeNull();
  });

  it.each([
    ["a grant key", () => generateGrantKey().key],
    ["a token never issued", () => generateOAuthToken("access").value],
    ["a refresh token", () => "refresh"],
    ["garbage", () => "Bearer x"],
  ])("refuse %s as unknown", async (_label, make) => {
    const value = make() === "refresh" ? (await signIn(pool, tenant, clientId)).tokens.refresh_token : make();
    expect(await reason(value)).toEqual({ reason: "unknown", code: "invalid_token", message: "The access token is not valid." });
  });
});

describe("refreshing", () => {
  it("rotates: a new access and refresh token in the same family, the old refresh token used", async () => {
    const now = new Date();
    const { tokens } = await signIn(pool, tenant, clientId, now);
    const later = new Date(now.getTime() + 2 * ACCESS_TOKEN_TTL_MS);
    const next = await refreshAccessToken(pool, { refreshToken: tokens.refresh_token, clientId, resource: tenant.resource }, later);
    expect(OAuthTokensSchema.parse(next)).toEqual(next);
    expect(next).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "mcp" });
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(await reason(next.access_token, tenant, later)).toBe("ok");
    const { rows } = await pool.query<{ families: number }>(
      `SELECT count(DISTINCT family_id)::int AS families FROM oauth_tokens WHERE token_hash IN (encode(sha256($1::bytea), 'hex'), encode(sha256($2::bytea), 'hex'))`,
      [tokens.refresh_token, next.refresh_token],
    );
    expect(rows[0]!.families).toBe(1);
  });

  it("revokes the whole family when a used refresh token comes back", async () => {
    const { tokens } = await signIn(pool, tenant, clientId);
    const second = await refreshAccessToken(pool, { refreshToken: tokens.refresh_token, clientId });
    expect(await oauthRefusal(refreshAccessToken(pool, { refreshToken: tokens.refresh_token, clientId }))).toEqual({
      code: "invalid_grant",
      message: "This refresh token was already used, so it may have leaked: every token of this sign-in is now revoked. Sign in again.",
    });
    expect(await oauthRefusal(refreshAccessToken(pool, { refreshToken: second.refresh_token!, clientId }))).toEqual({
      code: "invalid_grant",
      message: "This refresh token was revoked: sign in again.",
    });
    expect(await reason(tokens.access_token)).toMatchObject({ reason: "revoked" });
    expect(await reason(second.access_token)).toMatchObject({ reason: "revoked" });
  });

  it("lets one of two concurrent uses of a refresh token win, then revokes the family", async () => {
    const { tokens } = await signIn(pool, tenant, clientId);
    const results = await Promise.allSettled([
      refreshAccessToken(pool, { refreshToken: tokens.refresh_token, clientId }),
      refreshAccessToken(pool, { refreshToken: tokens.refresh_token, clientId }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason.errorCode).toBe("invalid_grant");
    const winner = (results.find((r) => r.status === "fulfilled") as PromiseFulfilledResult<{ access_token: string }>).value;
    expect(await reason(winner.access_token)).toMatchObject({ reason: "revoked" });
  });

  it("refuses a refresh token after 30 days", async () => {
    const now = new Date();
    const { tokens } = await signIn(pool, tenant, clientId, now);
    expect(await oauthRefusal(refreshAccessToken(pool, { refreshToken: tokens.refresh_token, clientId }, new Date(now.getTime() + REFRESH_TOKEN_TTL_MS)))).toEqual({
      code: "invalid_grant",
      message: "This refresh token expired: sign in again.",
    });
  });

  it.each([
    ["another client", { clientId: "other" }, "invalid_grant", "This refresh token was issued to another client."],
    ["another resource", { resource: "https://portcullis.test/gateway/00000000-0000-4000-8000-000000000000/mcp" }, "invalid_target", /^This refresh token is for https:\/\/portcullis\.test\/gateway\/.*, not https:\/\/portcullis\.test\/gateway\/00000000/],
    ["a wider scope", { scope: "mcp admin" }, "invalid_scope", 'Portcullis does not know the scope "admin": ask for "mcp".'],
    ["no refresh token", { refreshToken: "" }, "invalid_request", "refresh_token is missing."],
    ["an access token", { refreshToken: "access" }, "invalid_grant", "The refresh token is not valid: it was never issued by this Portcullis, or it was removed."],
  ] as const)("refuses %s, and the refresh token still works after", async (_label, change, code, message) => {
    const { tokens } = await signIn(pool, tenant, clientId);
    const request = {
      refreshToken: "refreshToken" in change ? (change.refreshToken === "access" ? tokens.access_token : change.refreshToken) : tokens.refresh_token,
      clientId: "clientId" in change ? otherClientId : clientId,
      resource: "resource" in change ? change.resource : undefined,
      scope: "scope" in change ? change.scope : undefined,
    };
    const refused = await oauthRefusal(refreshAccessToken(pool, request));
    expect(refused?.code).toBe(code);
    expect(refused?.message).toMatch(message);
    expect((await refreshAccessToken(pool, { refreshToken: tokens.refresh_token, clientId })).token_type).toBe("Bearer");
  });
});

describe("revocation (RFC 7009)", () => {
  it("revokes an access token alone", async () => {
    const { tokens } = await signIn(pool, tenant, clientId);
    await revokeToken(pool, { token: tokens.access_token, clientId });
    expect(await reason(tokens.access_token)).toMatchObject({ reason: "revoked", code: "invalid_token" });
    expect((await refreshAccessToken(pool, { refreshToken: tokens.refresh_token, clientId })).token_type).toBe("Bearer");
  });

  it("revokes a refresh token's whole family", async () => {
    const { tokens } = await signIn(pool, tenant, clientId);
    const next = await refreshAccessToken(pool, { refreshToken: tokens.refresh_token, clientId });
    await revokeToken(pool, { token: next.refresh_token, clientId });
    expect(await reason(tokens.access_token)).toMatchObject({ reason: "revoked" });
    expect(await reason(next.access_token)).toMatchObject({ reason: "revoked" });
    expect((await oauthRefusal(refreshAccessToken(pool, { refreshToken: next.refresh_token!, clientId })))?.code).toBe("invalid_grant");
  });

  it("answers an unknown token, or one revoked already, without an error", async () => {
    const { tokens } = await signIn(pool, tenant, clientId);
    await expect(revokeToken(pool, { token: generateOAuthToken("refresh").value, clientId })).resolves.toBeUndefined();
    await expect(revokeToken(pool, { token: "not-a-token", clientId })).resolves.toBeUndefined();
    await revokeToken(pool, { token: tokens.access_token, clientId });
    await expect(revokeToken(pool, { token: tokens.access_token, clientId })).resolves.toBeUndefined();
  });

  it("refuses to revoke another client's token, which keeps working", async () => {
    const { tokens } = await signIn(pool, tenant, clientId);
    expect(await oauthRefusal(revokeToken(pool, { token: tokens.refresh_token, clientId: otherClientId }))).toEqual({
      code: "unauthorized_client",
      message: "This token was issued to another client; only that client can revoke it.",
    });
    expect(await reason(tokens.access_token)).toBe("ok");
  });

  it("needs the token and the client id", async () => {
    expect((await oauthRefusal(revokeToken(pool, { token: "", clientId })))?.code).toBe("invalid_request");
    expect((await oauthRefusal(revokeToken(pool, { token: "x", clientId: undefined })))?.code).toBe("invalid_request");
  });
});

describe("housekeeping", () => {
  it("deletes codes and tokens a day after they expire, and keeps them until then", async () => {
    const issuedAt = new Date("2001-01-01T00:00:00.000Z");
    const { code, tokens } = await signIn(pool, tenant, clientId, issuedAt);
    const rows = async () =>
      Number(
        (
          await pool.query(
            `SELECT (SELECT count(*) FROM oauth_codes WHERE code_hash = encode(sha256($1::bytea), 'hex'))
                  + (SELECT count(*) FROM oauth_tokens WHERE token_hash IN (encode(sha256($2::bytea), 'hex'), encode(sha256($3::bytea), 'hex'))) AS n`,
            [code, tokens.access_token, tokens.refresh_token],
          )
        ).rows[0].n,
      );
    expect(await rows()).toBe(3);
    // A day after the access token expired: the code and the access token go, the refresh token (30 days) stays.
    await deleteExpiredOAuthRows(pool, new Date(issuedAt.getTime() + ACCESS_TOKEN_TTL_MS + KEEP_AFTER_EXPIRY_MS + 1));
    expect(await rows()).toBe(1);
    await deleteExpiredOAuthRows(pool, new Date(issuedAt.getTime() + REFRESH_TOKEN_TTL_MS + KEEP_AFTER_EXPIRY_MS + 1));
    expect(await rows()).toBe(0);
  });
});
