import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { AccessDeniedError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import type pg from "pg";
import type { Caller } from "@/lib/auth/caller";
import { hashSessionId } from "@/lib/auth/session-id";
import type { Queryable } from "@/lib/db/queryable";
import { gatewayUrl } from "@/lib/gateway/gateway-url";
import { generateGrantKey } from "@/lib/grants/grant-key";
import { ApiError } from "@/lib/http/api-error";
import { issueAuthorizationCode } from "@/lib/oauth/authorization-codes";
import { redirectWithCode, redirectWithError, type AuthorizationRequest } from "@/lib/oauth/authorization-request";
import { displayClient, displayRedirect, grantNameFor, type ClientDisplay, type RedirectDisplay } from "@/lib/oauth/client-display";
import type { OAuthClientRecord } from "@/lib/oauth/clients";

// The consent page's server side. Opening the page stores the request (oauth_consents) with a CSRF token bound to the
// session that sees it; the form's POST names that row and token, and the person's choice, and nothing else, so what
// the code binds comes from the checked request, never from the form. The first decision marks the row decided in the
// transaction that reads it: the same consent cannot be approved twice (a replayed POST, or two tabs).

export const CONSENT_TTL_MS = 10 * 60_000;

/** What the consent page shows and its form posts back. */
export interface ConsentView {
  consentId: string;
  /** In the clear only here, for the form; the row keeps its SHA-256. */
  csrfToken: string;
  client: ClientDisplay & { clientId: string; registered: boolean };
  redirect: RedirectDisplay;
  server: { id: string; name: string; gatewayUrl: string; policyVersion: number | null };
  /** The workspace's grants that reach the server (not revoked), newest first. */
  grants: { id: string; name: string; serverCount: number; createdAt: string; lastUsedAt: string | null; oauthClientName: string | null }[];
  newGrantName: string;
}

export type OpenConsent = { ok: true; view: ConsentView } | { ok: false; error: AccessDeniedError };

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/**
 * After sign-in: the server must be one of the person's workspace (else an error to show), then the request is stored
 * for the form and the page's view returned.
 */
export async function openConsent(
  db: Queryable,
  input: { caller: Caller; sessionId: string; request: AuthorizationRequest; client: OAuthClientRecord; serverId: string; issuer: string },
  now = new Date(),
): Promise<OpenConsent> {
  const { caller, request, client, serverId } = input;
  const server = (
    await db.query<{ id: string; name: string; policy_version: number | null }>(
      `SELECT s.id, s.name, (SELECT max(v.version) FROM policy_versions v WHERE v.server_id = s.id) AS policy_version
         FROM mcp_servers s WHERE s.id = $1::uuid AND s.workspace_id = $2::uuid`,
      [serverId, caller.workspaceId],
    )
  ).rows[0];
  if (!server) {
    return {
      ok: false,
      error: new AccessDeniedError(
        `The gateway URL this client asks for (${request.resource.slice(0, 300)}) is not a server of your workspace, so you cannot grant it. Check that the client was given the URL from your own server's Connect section, or sign in with the account that owns it.`,
      ),
    };
  }
  const grants = await db.query<{ id: string; name: string; server_count: number; created_at: Date; last_used_at: Date | null; client_name: string | null }>(
    `SELECT g.id, g.name, g.created_at, g.last_used_at, c.client_name,
            (SELECT count(*) FROM grant_servers x WHERE x.grant_id = g.id)::int AS server_count
       FROM grants g
       JOIN grant_servers gs ON gs.grant_id = g.id AND gs.server_id = $2::uuid
       LEFT JOIN oauth_clients c ON c.client_id = g.oauth_client_id
      WHERE g.workspace_id = $1::uuid AND g.revoked_at IS NULL
      ORDER BY g.created_at DESC
      LIMIT 100`,
    [caller.workspaceId, serverId],
  );

  const consentId = randomUUID();
  const csrfToken = randomBytes(32).toString("base64url");
  await db.query(
    `INSERT INTO oauth_consents (id, csrf_hash, session_hash, user_id, workspace_id, client_id, server_id, resource, redirect_uri,
                                 code_challenge, scope, state, created_at, expires_at)
     VALUES ($1::uuid, $2, $3, $4::uuid, $5::uuid, $6, $7::uuid, $8, $9, $10, $11, $12, $13, $14)`,
    [
      consentId,
      sha256(csrfToken),
      hashSessionId(input.sessionId),
      caller.userId,
      caller.workspaceId,
      client.clientId,
      serverId,
      request.resource,
      request.redirectUri,
      request.codeChallenge,
      request.scope,
      request.state,
      now,
      new Date(now.getTime() + CONSENT_TTL_MS),
    ],
  );

  const shown = displayClient(client);
  return {
    ok: true,
    view: {
      consentId,
      csrfToken,
      client: { ...shown, clientId: client.clientId, registered: client.kind === "registered" },
      redirect: displayRedirect(request.redirectUri, shown.verifiedDomain),
      server: { id: server.id, name: server.name, gatewayUrl: gatewayUrl(input.issuer, server.id), policyVersion: server.policy_version },
      grants: grants.rows.map((g) => ({
        id: g.id,
        name: g.name,
        serverCount: g.server_count,
        createdAt: g.created_at.toISOString(),
        lastUsedAt: g.last_used_at?.toISOString() ?? null,
        oauthClientName: g.client_name,
      })),
      newGrantName: grantNameFor(client),
    },
  };
}

export interface ConsentActor {
  userId: string;
  email: string;
  workspaceId: string;
  /** The session id of the request's cookie: the CSRF token is valid for that session only. */
  sessionId: string;
}

export interface ConsentAnswer {
  consentId: string;
  csrfToken: string | undefined;
  decision: "approve" | "deny";
  /** "new": a grant on this server for the client; else the id of an existing grant that reaches it. */
  grant: string;
}

type ConsentRow = {
  id: string;
  csrf_hash: string;
  session_hash: string;
  user_id: string;
  workspace_id: string;
  client_id: string;
  server_id: string;
  resource: string;
  redirect_uri: string;
  code_challenge: string;
  scope: string;
  state: string | null;
  expires_at: Date;
  decided_at: Date | null;
};

const START_AGAIN = "Nothing was granted: start the sign-in again from your client.";

function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The consent form's POST: checks the request is the one shown to this session (CSRF token), not answered yet and not
 * expired; then, on approval, creates the grant when a new one was chosen and issues the code, in one transaction.
 * Returns where to send the browser: the client's redirect URI with the code, or with access_denied. Throws ApiError.
 */
export async function decideConsent(pool: pg.Pool, actor: ConsentActor, answer: ConsentAnswer, issuer: string, now = new Date()): Promise<{ redirectTo: string }> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // FOR UPDATE: a second POST of the same consent waits here and then finds it decided.
    const row = (await client.query<ConsentRow>(`SELECT * FROM oauth_consents WHERE id = $1::uuid FOR UPDATE`, [answer.consentId])).rows[0];
    if (!row || row.user_id !== actor.userId) throw new ApiError(404, "consent_not_found", `This sign-in request is unknown to Portcullis. ${START_AGAIN}`);
    const tokenMatches = answer.csrfToken !== undefined && sameDigest(sha256(answer.csrfToken), row.csrf_hash);
    if (!tokenMatches || !sameDigest(hashSessionId(actor.sessionId), row.session_hash)) {
      throw new ApiError(
        403,
        "csrf_token_invalid",
        `This answer did not come from the consent page Portcullis showed you in this session (its security token is missing or wrong). ${START_AGAIN}`,
      );
    }
    if (row.decided_at) throw new ApiError(409, "consent_already_answered", `This sign-in request was already answered, and is answered once. ${START_AGAIN}`);
    if (row.expires_at <= now) throw new ApiError(409, "consent_expired", `This consent page was open for more than 10 minutes. ${START_AGAIN}`);
    await client.query(`UPDATE oauth_consents SET decided_at = $2 WHERE id = $1::uuid`, [row.id, now]);

    if (answer.decision === "deny") {
      await client.query("COMMIT");
      return { redirectTo: redirectWithError(row.redirect_uri, issuer, new AccessDeniedError("The person signed in to Portcullis declined this request."), row.state) };
    }

    const grantId = answer.grant === "new" ? await createGrantForClient(client, actor, row, now) : await checkChosenGrant(client, row, answer.grant);
    const code = await issueAuthorizationCode(
      client,
      {
        clientId: row.client_id,
        userId: actor.userId,
        workspaceId: row.workspace_id,
        grantId,
        serverId: row.server_id,
        resource: row.resource,
        redirectUri: row.redirect_uri,
        codeChallenge: row.code_challenge,
        scope: row.scope,
      },
      now,
    );
    await client.query("COMMIT");
    return { redirectTo: redirectWithCode(row.redirect_uri, issuer, code, row.state) };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    if (error instanceof AccessDeniedError) throw new ApiError(422, "consent_not_possible", `${error.message} ${START_AGAIN}`);
    throw error;
  } finally {
    client.release();
  }
}

/** A new grant on the consent's server only, named after the client and marked as its (grants.oauth_client_id). */
async function createGrantForClient(db: Queryable, actor: ConsentActor, row: ConsentRow, now: Date): Promise<string> {
  const found = (await db.query<OAuthClientRecordRow>(`SELECT client_id, kind, client_name, logo_uri, redirect_uris FROM oauth_clients WHERE client_id = $1`, [row.client_id]))
    .rows[0];
  if (!found) throw new ApiError(422, "consent_not_possible", `This client is no longer known to Portcullis. ${START_AGAIN}`);
  const name = grantNameFor({ clientId: found.client_id, kind: found.kind, clientName: found.client_name, logoUri: found.logo_uri, redirectUris: found.redirect_uris ?? [] });
  // A grant row needs a key; this one's is never shown to anyone, so the grant is reached through OAuth tokens only.
  const { hash, prefix } = generateGrantKey();
  const id = randomUUID();
  await db.query(
    `INSERT INTO grants (id, workspace_id, name, key_prefix, key_hash, created_by, created_at, oauth_client_id)
     VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7, $8)`,
    [id, row.workspace_id, name, prefix, hash, actor.email, now, row.client_id],
  );
  await db.query(`INSERT INTO grant_servers (grant_id, server_id) VALUES ($1::uuid, $2::uuid)`, [id, row.server_id]);
  return id;
}

type OAuthClientRecordRow = { client_id: string; kind: OAuthClientRecord["kind"]; client_name: string | null; logo_uri: string | null; redirect_uris: string[] | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The chosen existing grant: the consent's workspace's, not revoked, reaching the server. */
async function checkChosenGrant(db: Queryable, row: ConsentRow, grantId: string): Promise<string> {
  const { rowCount } = UUID.test(grantId)
    ? await db.query(
        `SELECT 1 FROM grants g JOIN grant_servers gs ON gs.grant_id = g.id AND gs.server_id = $3::uuid
          WHERE g.id = $1::uuid AND g.workspace_id = $2::uuid AND g.revoked_at IS NULL`,
        [grantId, row.workspace_id, row.server_id],
      )
    : { rowCount: 0 };
  if (!rowCount) throw new ApiError(422, "grant_not_usable", "That grant was revoked, or does not reach this server: choose another, or a new grant.");
  return grantId;
}
