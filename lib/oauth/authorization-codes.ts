import { randomUUID } from "node:crypto";
import {
  AccessDeniedError,
  InvalidClientError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidTargetError,
} from "@modelcontextprotocol/sdk/server/auth/errors.js";
import type { OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import type { Queryable } from "@/lib/db/queryable";
import { checkCodeVerifier, checkVerifierSyntax, isS256Challenge } from "@/lib/oauth/pkce";
import { parseScope } from "@/lib/oauth/scope";
import { generateAuthorizationCode, hashOAuthSecret, looksLikeAuthorizationCode } from "@/lib/oauth/secrets";
import { insertPairFrom, newTokenPair, pairValues, revokeFamily, tokenResponse } from "@/lib/oauth/tokens";

// Authorization codes (oauth_codes; only digests stored). A code is issued when the person consents, bound to the
// client, its redirect URI, the S256 challenge, the resource, the grant, the user and the workspace; it lives 60 s and
// is exchanged once. Presenting it again revokes the tokens it was exchanged for (OAuth 2.1 §4.1.3): the tokens carry
// the code's family id, and the exchange marks the code used and stores them in one statement, so whoever sees the
// code used also sees its tokens.

export const AUTHORIZATION_CODE_TTL_MS = 60_000;

export interface NewAuthorizationCode {
  clientId: string;
  userId: string;
  workspaceId: string;
  grantId: string;
  serverId: string;
  /** The gateway URL the tokens will be for. */
  resource: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
}

// The code is stored only when everything it binds holds together: the redirect URI is one the client registered,
// the user is a member of the workspace, and the grant (not revoked) and the server are that workspace's, the grant
// naming the server. The consent page checks these too; this keeps a code from ever binding what they do not.
const ISSUE = `
INSERT INTO oauth_codes (code_hash, family_id, client_id, user_id, workspace_id, grant_id, server_id, resource, redirect_uri,
                         code_challenge, scope, created_at, expires_at)
SELECT $1, $2::uuid, c.client_id, m.user_id, m.workspace_id, g.id, s.id, $8, $9, $10, $11, $12, $13
  FROM oauth_clients c, memberships m, grants g, grant_servers gs, mcp_servers s
 WHERE c.client_id = $3 AND $9 = ANY (c.redirect_uris)
   AND m.user_id = $4::uuid AND m.workspace_id = $5::uuid
   AND g.id = $6::uuid AND g.workspace_id = m.workspace_id AND g.revoked_at IS NULL
   AND s.id = $7::uuid AND s.workspace_id = m.workspace_id
   AND gs.grant_id = g.id AND gs.server_id = s.id`;

const DIAGNOSE = `
SELECT EXISTS (SELECT 1 FROM oauth_clients WHERE client_id = $1) AS client,
       EXISTS (SELECT 1 FROM oauth_clients WHERE client_id = $1 AND $2 = ANY (redirect_uris)) AS redirect,
       EXISTS (SELECT 1 FROM memberships WHERE user_id = $3::uuid AND workspace_id = $4::uuid) AS member,
       EXISTS (SELECT 1 FROM mcp_servers WHERE id = $6::uuid AND workspace_id = $4::uuid) AS server,
       EXISTS (SELECT 1 FROM grants WHERE id = $5::uuid AND workspace_id = $4::uuid AND revoked_at IS NULL) AS "grant"`;

/** Issues a code after consent and returns it (the only time it exists in the clear). */
export async function issueAuthorizationCode(db: Queryable, input: NewAuthorizationCode, now = new Date()): Promise<string> {
  if (!isS256Challenge(input.codeChallenge)) throw new InvalidRequestError("code_challenge is not an S256 challenge.");
  const scope = parseScope(input.scope);
  const { value, hash } = generateAuthorizationCode();
  const { rowCount } = await db.query(ISSUE, [
    hash,
    randomUUID(),
    input.clientId,
    input.userId,
    input.workspaceId,
    input.grantId,
    input.serverId,
    input.resource,
    input.redirectUri,
    input.codeChallenge,
    scope,
    now,
    new Date(now.getTime() + AUTHORIZATION_CODE_TTL_MS),
  ]);
  if (rowCount === 1) return value;
  const { rows } = await db.query<Record<"client" | "redirect" | "member" | "server" | "grant", boolean>>(DIAGNOSE, [
    input.clientId,
    input.redirectUri,
    input.userId,
    input.workspaceId,
    input.grantId,
    input.serverId,
  ]);
  const found = rows[0]!;
  if (!found.client) throw new InvalidClientError("This client is unknown to Portcullis.");
  if (!found.redirect) throw new InvalidRequestError("The redirect URI is not one this client registered.");
  if (!found.member) throw new AccessDeniedError("You are not a member of that workspace.");
  if (!found.server) throw new AccessDeniedError("That server is not in this workspace.");
  if (!found.grant) throw new AccessDeniedError("That grant is not in this workspace, or it was revoked.");
  throw new AccessDeniedError("That grant does not reach this server.");
}

export interface CodeExchange {
  code: string | null | undefined;
  clientId: string | null | undefined;
  redirectUri: string | null | undefined;
  codeVerifier: string | null | undefined;
  /** RFC 8707: when sent, it must be the resource of the authorization request. */
  resource?: string | null;
}

type CodeRow = {
  family_id: string;
  client_id: string;
  resource: string;
  redirect_uri: string;
  code_challenge: string;
  scope: string;
  expires_at: Date;
  used_at: Date | null;
};

const READ_CODE = `SELECT family_id, client_id, resource, redirect_uri, code_challenge, scope, expires_at, used_at FROM oauth_codes WHERE code_hash = $1`;
const BURN = `UPDATE oauth_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL`;
const EXCHANGE = `
WITH source AS (
  UPDATE oauth_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2
  RETURNING family_id, client_id, workspace_id, grant_id, server_id, resource
), ${insertPairFrom(3)}
SELECT (SELECT count(*) FROM source)::int AS claimed, (SELECT count(*) FROM inserted)::int AS inserted`;

const ALREADY_USED = "This authorization code was already used; a code works once, so the tokens issued from it are now revoked. Sign in again.";

/**
 * The authorization_code grant: checks the code against the request (client, redirect URI exactly, resource exactly,
 * PKCE, expiry) and returns an access and a refresh token. A code that fails a check is used up all the same; a code
 * presented again revokes what it was exchanged for. Throws InvalidRequestError (missing or malformed parameters),
 * InvalidGrantError or InvalidTargetError, each saying what was wrong.
 */
export async function exchangeAuthorizationCode(db: Queryable, exchange: CodeExchange, now = new Date()): Promise<OAuthTokens> {
  if (!exchange.code) throw new InvalidRequestError("code is missing.");
  if (!exchange.clientId) throw new InvalidRequestError("client_id is missing.");
  if (!exchange.redirectUri) throw new InvalidRequestError("redirect_uri is missing: send the redirect URI of the authorization request.");
  checkVerifierSyntax(exchange.codeVerifier);
  if (!looksLikeAuthorizationCode(exchange.code)) throw new InvalidGrantError("The authorization code is not valid.");

  const hash = hashOAuthSecret(exchange.code);
  const { rows } = await db.query<CodeRow>(READ_CODE, [hash]);
  const code = rows[0];
  if (!code) throw new InvalidGrantError("The authorization code is not valid: it was never issued, or it expired and was removed.");
  if (code.used_at) {
    await revokeFamily(db, code.family_id, now);
    throw new InvalidGrantError(ALREADY_USED);
  }
  const refuse = async (error: Error): Promise<never> => {
    await db.query(BURN, [hash, now]);
    throw error;
  };
  if (code.expires_at <= now) await refuse(new InvalidGrantError("The authorization code expired (codes last 60 seconds): sign in again."));
  if (code.client_id !== exchange.clientId) await refuse(new InvalidGrantError("This authorization code was issued to another client."));
  if (code.redirect_uri !== exchange.redirectUri) {
    await refuse(new InvalidGrantError("redirect_uri is not the one of the authorization request (it must match exactly)."));
  }
  if (exchange.resource && exchange.resource !== code.resource) {
    await refuse(new InvalidTargetError(`This authorization code is for ${code.resource}, not ${exchange.resource.slice(0, 300)}.`));
  }
  try {
    checkCodeVerifier(exchange.codeVerifier, code.code_challenge);
  } catch (error) {
    await refuse(error as Error);
  }

  const pair = newTokenPair(now);
  const result = (await db.query<{ claimed: number; inserted: number }>(EXCHANGE, [hash, now, ...pairValues(pair, code.scope, now)])).rows[0]!;
  if (result.claimed === 0) {
    // Exchanged by a concurrent request since it was read: the same replay.
    await revokeFamily(db, code.family_id, now);
    throw new InvalidGrantError(ALREADY_USED);
  }
  if (result.inserted === 0) throw new InvalidGrantError("The grant chosen for this sign-in was revoked or no longer reaches this server: sign in again.");
  return tokenResponse(pair, code.scope);
}
