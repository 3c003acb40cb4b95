import {
  InvalidGrantError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
  InvalidTokenError,
  UnauthorizedClientError,
} from "@modelcontextprotocol/sdk/server/auth/errors.js";
import type { OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import type { Queryable } from "@/lib/db/queryable";
import { parseScope, scopeWithin } from "@/lib/oauth/scope";
import { generateOAuthToken, hashOAuthSecret, oauthTokenKind, type OAuthTokenKind } from "@/lib/oauth/secrets";

// Access and refresh tokens (oauth_tokens; only digests stored). Access tokens are short-lived bearer tokens for one
// gateway URL. Refresh tokens rotate: each use returns a new one in the same family and marks the old one used, and a
// used one presented again means it leaked, so the whole family (every token of that sign-in) is revoked (OAuth 2.1
// §4.3.1, RFC 9700 §4.14.2). A token also stops working the moment its grant is revoked or stops naming its server:
// every check reads the grant in the same statement.

export const ACCESS_TOKEN_TTL_MS = 60 * 60_000;
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60_000;

interface MintedToken {
  value: string;
  hash: string;
  expiresAt: Date;
}

export interface TokenPair {
  access: MintedToken;
  refresh: MintedToken;
}

/** A new access and refresh token, not stored yet. */
export function newTokenPair(now: Date): TokenPair {
  const mint = (kind: OAuthTokenKind, ttlMs: number): MintedToken => ({ ...generateOAuthToken(kind), expiresAt: new Date(now.getTime() + ttlMs) });
  return { access: mint("access", ACCESS_TOKEN_TTL_MS), refresh: mint("refresh", REFRESH_TOKEN_TTL_MS) };
}

/** The token endpoint's answer (RFC 6749 §5.1). */
export function tokenResponse(pair: TokenPair, scope: string): OAuthTokens {
  return {
    access_token: pair.access.value,
    token_type: "Bearer",
    expires_in: Math.round(ACCESS_TOKEN_TTL_MS / 1000),
    refresh_token: pair.refresh.value,
    scope,
  };
}

/**
 * The tail of a statement that stores a token pair for the rows of a CTE named `source` (family_id, client_id,
 * workspace_id, grant_id, server_id, resource), but only while their grant is not revoked and still names the server.
 * Parameters from `$first`: access hash, access expiry, refresh hash, refresh expiry, scope, now.
 */
export function insertPairFrom(first: number): string {
  const p = (i: number) => `$${first + i}`;
  return `live AS (
  SELECT s.* FROM source s
    JOIN grants g ON g.id = s.grant_id AND g.revoked_at IS NULL
    JOIN grant_servers gs ON gs.grant_id = s.grant_id AND gs.server_id = s.server_id
), inserted AS (
  INSERT INTO oauth_tokens (token_hash, kind, family_id, client_id, workspace_id, grant_id, server_id, resource, scope, created_at, expires_at)
  SELECT t.hash, t.kind, l.family_id, l.client_id, l.workspace_id, l.grant_id, l.server_id, l.resource, ${p(4)}::text, ${p(5)}::timestamptz, t.expires_at
    FROM live l
   CROSS JOIN (VALUES (${p(0)}::text, 'access', ${p(1)}::timestamptz), (${p(2)}::text, 'refresh', ${p(3)}::timestamptz)) AS t(hash, kind, expires_at)
  RETURNING 1
)`;
}

export const pairValues = (pair: TokenPair, scope: string, now: Date) => [
  pair.access.hash,
  pair.access.expiresAt,
  pair.refresh.hash,
  pair.refresh.expiresAt,
  scope,
  now,
];

/** Revokes every token of a family (a replayed code or refresh token, a revoked refresh token). */
export async function revokeFamily(db: Queryable, familyId: string, now: Date): Promise<number> {
  const { rowCount } = await db.query(`UPDATE oauth_tokens SET revoked_at = $2 WHERE family_id = $1::uuid AND revoked_at IS NULL`, [familyId, now]);
  return rowCount ?? 0;
}

type TokenRow = {
  kind: OAuthTokenKind;
  family_id: string;
  client_id: string;
  workspace_id: string;
  grant_id: string;
  server_id: string;
  resource: string;
  scope: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  grant_revoked_at: Date | null;
  server_granted: boolean;
};

const READ_TOKEN = `
SELECT t.kind, t.family_id, t.client_id, t.workspace_id, t.grant_id, t.server_id, t.resource, t.scope, t.expires_at,
       t.used_at, t.revoked_at, g.revoked_at AS grant_revoked_at,
       EXISTS (SELECT 1 FROM grant_servers gs WHERE gs.grant_id = t.grant_id AND gs.server_id = t.server_id) AS server_granted
  FROM oauth_tokens t JOIN grants g ON g.id = t.grant_id
 WHERE t.token_hash = $1`;

async function readToken(db: Queryable, token: string, kind: OAuthTokenKind): Promise<TokenRow | null> {
  if (oauthTokenKind(token) !== kind) return null;
  const { rows } = await db.query<TokenRow>(READ_TOKEN, [hashOAuthSecret(token)]);
  return rows[0]?.kind === kind ? rows[0] : null;
}

export interface RefreshRequest {
  refreshToken: string | null | undefined;
  clientId: string | null | undefined;
  /** RFC 8707: when sent, it must be the resource the token is for. */
  resource?: string | null;
  /** When sent, it may narrow the scope, never widen it. */
  scope?: string | null;
}

const ROTATE = `
WITH source AS (
  UPDATE oauth_tokens SET used_at = $2
   WHERE token_hash = $1 AND kind = 'refresh' AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
  RETURNING family_id, client_id, workspace_id, grant_id, server_id, resource
), ${insertPairFrom(3)}
SELECT (SELECT count(*) FROM source)::int AS claimed, (SELECT count(*) FROM inserted)::int AS inserted`;

/**
 * The refresh_token grant: checks the refresh token, marks it used and returns a new access and refresh token in the
 * same family, in one statement. Throws InvalidGrantError (unknown, another client's, expired, revoked, already used:
 * then the family is revoked; grant revoked), InvalidTargetError (another resource), InvalidScopeError (wider scope).
 */
export async function refreshAccessToken(db: Queryable, request: RefreshRequest, now = new Date()): Promise<OAuthTokens> {
  if (!request.refreshToken) throw new InvalidRequestError("refresh_token is missing.");
  if (!request.clientId) throw new InvalidRequestError("client_id is missing.");
  const row = await readToken(db, request.refreshToken, "refresh");
  if (!row) throw new InvalidGrantError("The refresh token is not valid: it was never issued by this Portcullis, or it was removed.");
  if (row.client_id !== request.clientId) throw new InvalidGrantError("This refresh token was issued to another client.");
  if (row.revoked_at) throw new InvalidGrantError("This refresh token was revoked: sign in again.");
  if (row.used_at) {
    await revokeFamily(db, row.family_id, now);
    throw new InvalidGrantError("This refresh token was already used, so it may have leaked: every token of this sign-in is now revoked. Sign in again.");
  }
  if (row.expires_at <= now) throw new InvalidGrantError("This refresh token expired: sign in again.");
  if (row.grant_revoked_at || !row.server_granted) throw new InvalidGrantError("The grant behind this sign-in was revoked or no longer reaches this server: sign in again.");
  if (request.resource && request.resource !== row.resource) {
    throw new InvalidTargetError(`This refresh token is for ${row.resource}, not ${request.resource.slice(0, 300)}.`);
  }
  const scope = request.scope ? parseScope(request.scope) : row.scope;
  if (!scopeWithin(scope, row.scope)) throw new InvalidScopeError(`A refresh can only keep or narrow the scope "${row.scope}".`);

  const pair = newTokenPair(now);
  const { rows } = await db.query<{ claimed: number; inserted: number }>(ROTATE, [hashOAuthSecret(request.refreshToken), now, ...pairValues(pair, scope, now)]);
  const result = rows[0]!;
  if (result.claimed === 0) {
    // Used (or revoked) by a concurrent request since it was read: the same reuse.
    await revokeFamily(db, row.family_id, now);
    throw new InvalidGrantError("This refresh token was already used, so it may have leaked: every token of this sign-in is now revoked. Sign in again.");
  }
  if (result.inserted === 0) throw new InvalidGrantError("The grant behind this sign-in was revoked or no longer reaches this server: sign in again.");
  return tokenResponse(pair, scope);
}

/**
 * Token revocation (RFC 7009). Revoking a refresh token revokes its whole family; revoking an access token, that
 * token. A token Portcullis does not know is not an error (§2.2: the client's aim, a dead token, holds). A token of
 * another client is refused with UnauthorizedClientError.
 */
export async function revokeToken(db: Queryable, request: { token: string | null | undefined; clientId: string | null | undefined }, now = new Date()): Promise<void> {
  if (!request.token) throw new InvalidRequestError("token is missing.");
  if (!request.clientId) throw new InvalidRequestError("client_id is missing.");
  const kind = oauthTokenKind(request.token);
  if (!kind) return;
  const row = await readToken(db, request.token, kind);
  if (!row) return;
  if (row.client_id !== request.clientId) throw new UnauthorizedClientError("This token was issued to another client; only that client can revoke it.");
  if (kind === "refresh") {
    await revokeFamily(db, row.family_id, now);
    return;
  }
  await db.query(`UPDATE oauth_tokens SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL`, [hashOAuthSecret(request.token), now]);
}

/** What the gateway learns from a valid access token. */
export interface AccessTokenInfo {
  grantId: string;
  serverId: string;
  /** The gateway URL the token is for. */
  resource: string;
  workspaceId: string;
  clientId: string;
  scope: string;
  expiresAt: Date;
}

/** Why an access token is refused (for the 401 and the Activity trail). */
export type AccessTokenRefusal = "unknown" | "expired" | "revoked" | "not_granted" | "wrong_resource";

export type AccessTokenCheck = { ok: true; token: AccessTokenInfo } | { ok: false; reason: AccessTokenRefusal; error: InvalidTokenError };

const REFUSALS: Record<AccessTokenRefusal, string> = {
  unknown: "The access token is not valid.",
  expired: "The access token expired: refresh it or sign in again.",
  revoked: "The access token was revoked: sign in again.",
  not_granted: "The grant behind this access token no longer reaches this server: sign in again.",
  wrong_resource: "The access token was issued for another server's gateway URL, not this one.",
};

const toInfo = (row: TokenRow): AccessTokenInfo => ({
  grantId: row.grant_id,
  serverId: row.server_id,
  resource: row.resource,
  workspaceId: row.workspace_id,
  clientId: row.client_id,
  scope: row.scope,
  expiresAt: row.expires_at,
});

const refusal = (reason: AccessTokenRefusal): AccessTokenCheck => ({ ok: false, reason, error: new InvalidTokenError(REFUSALS[reason]) });

/**
 * Checks an access token presented to the gateway at `expected.resource` (its own URL) for `expected.serverId`. The
 * token must be known, unexpired, not revoked, its grant not revoked and still naming the server, and be for exactly
 * this resource: a token for one gateway URL is refused by every other (RFC 8707).
 */
export async function verifyAccessToken(
  db: Queryable,
  token: string,
  expected: { resource: string; serverId: string },
  now = new Date(),
): Promise<AccessTokenCheck> {
  const row = await readToken(db, token, "access");
  if (!row) return refusal("unknown");
  if (row.revoked_at || row.grant_revoked_at) return refusal("revoked");
  if (row.expires_at <= now) return refusal("expired");
  if (row.resource !== expected.resource || row.server_id !== expected.serverId) return refusal("wrong_resource");
  if (!row.server_granted) return refusal("not_granted");
  return { ok: true, token: toInfo(row) };
}

/** The access token's grant, server, resource, workspace and expiry; null when unknown, expired or revoked. */
export async function findAccessToken(db: Queryable, token: string, now = new Date()): Promise<AccessTokenInfo | null> {
  const row = await readToken(db, token, "access");
  if (!row || row.revoked_at || row.grant_revoked_at || !row.server_granted || row.expires_at <= now) return null;
  return toInfo(row);
}
