import { randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { gatewayUrl } from "@/lib/gateway/gateway-url";
import { createGrant } from "@/lib/grants/grants";
import { issueAuthorizationCode, exchangeAuthorizationCode } from "@/lib/oauth/authorization-codes";
import { s256 } from "@/lib/oauth/pkce";
import { registerClient } from "@/lib/oauth/register-client";

// What the OAuth integration tests need: a workspace with a user, a server and a grant on it (real rows, made by the
// app's own functions where they need no upstream), a registered client, and PKCE pairs.

export const ORIGIN = "https://portcullis.test";
export const REDIRECT_URI = "http://127.0.0.1:33418/callback";

export interface Tenant {
  caller: Caller;
  userId: string;
  workspaceId: string;
  serverId: string;
  grantId: string;
  /** The server's gateway URL: the resource its tokens are for. */
  resource: string;
}

/** A server row as registering one would leave it (registering connects to an upstream, which these tests do not need). */
export async function addServer(pool: pg.Pool, workspaceId: string, name: string): Promise<{ serverId: string; resource: string }> {
  const serverId = randomUUID();
  await pool.query(`INSERT INTO mcp_servers (id, workspace_id, name, url) VALUES ($1::uuid, $2::uuid, $3, 'https://upstream.test/mcp')`, [
    serverId,
    workspaceId,
    name,
  ]);
  return { serverId, resource: gatewayUrl(ORIGIN, serverId) };
}

export async function createTenant(pool: pg.Pool, label: string): Promise<Tenant> {
  const account = await signUp({ email: `${label}-${randomUUID()}@example.com`, password: "a long test password" });
  const caller: Caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
  const { serverId, resource } = await addServer(pool, caller.workspaceId, `${label} files`);
  const { grant } = await createGrant(caller, { name: `${label} OAuth client`, serverIds: [serverId] });
  return { caller, userId: caller.userId, workspaceId: caller.workspaceId, serverId, grantId: grant.id, resource };
}

export async function registerTestClient(pool: pg.Pool, redirectUris = [REDIRECT_URI]): Promise<string> {
  const client = await registerClient(pool, { client_name: "Test client", redirect_uris: redirectUris });
  return client.client_id;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: s256(verifier) };
}

/** Signs in all the way: a code for the tenant's grant and server, exchanged for tokens. */
export async function signIn(pool: pg.Pool, tenant: Tenant, clientId: string, now = new Date()) {
  const { verifier, challenge } = pkcePair();
  const code = await issueAuthorizationCode(
    pool,
    {
      clientId,
      userId: tenant.userId,
      workspaceId: tenant.workspaceId,
      grantId: tenant.grantId,
      serverId: tenant.serverId,
      resource: tenant.resource,
      redirectUri: REDIRECT_URI,
      codeChallenge: challenge,
      scope: "mcp",
    },
    now,
  );
  const tokens = await exchangeAuthorizationCode(pool, { code, clientId, redirectUri: REDIRECT_URI, codeVerifier: verifier, resource: tenant.resource }, now);
  return { code, verifier, tokens: tokens as typeof tokens & { refresh_token: string } };
}

/** The OAuth error a promise rejects with: its code and description (null when it resolves). */
export async function oauthRefusal(promise: Promise<unknown>): Promise<{ code: string; message: string } | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    const code = (error as { errorCode?: string }).errorCode;
    if (!code) throw error;
    return { code, message: (error as Error).message };
  }
}
