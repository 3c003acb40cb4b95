// Grants: one credential per agent or client, limited to the servers it names. The key is returned once by
// createGrant and never again; the database holds its SHA-256 digest only.
import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { notFound, ApiError } from "@/lib/http/api-error";
import { generateGrantKey, hashGrantKey, looksLikeGrantKey } from "@/lib/grants/grant-key";
import { grantOAuthClients, type GrantOAuthClient } from "@/lib/grants/grant-oauth-clients";

export interface CreateGrantInput {
  name: string;
  serverIds: string[];
}

export interface GrantView {
  id: string;
  name: string;
  keyPrefix: string;
  serverIds: string[];
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** The OAuth client this grant was made for on the consent page (its key was never shown to anyone); else null. */
  oauthClientId: string | null;
  /** OAuth clients that signed in with this grant (the one it was made for on the consent page first). */
  oauthClients: GrantOAuthClient[];
}

type GrantRow = {
  id: string;
  name: string;
  keyPrefix: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  oauthClientId: string | null;
  servers: { serverId: string }[];
};

function toGrantView(row: GrantRow, oauthClients: GrantOAuthClient[] = []): GrantView {
  return {
    id: row.id,
    name: row.name,
    keyPrefix: row.keyPrefix,
    serverIds: row.servers.map((s) => s.serverId).sort(),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    oauthClientId: row.oauthClientId,
    oauthClients,
  };
}

/** Creates a grant on servers of the caller's workspace; returns the key, which is never shown again. */
export async function createGrant(caller: Caller, input: CreateGrantInput): Promise<{ grant: GrantView; key: string }> {
  const prisma = getPrisma();
  const serverIds = [...new Set(input.serverIds)];
  const found = await prisma.mcpServer.findMany({ where: { id: { in: serverIds }, workspaceId: caller.workspaceId }, select: { id: true } });
  if (found.length !== serverIds.length) throw notFound("That server");
  if (input.name.trim() === "") {
    throw new ApiError(422, "validation_failed", "A grant needs a name.", [{ path: "body.name", message: "Enter a name." }]);
  }
  const { key, hash, prefix } = generateGrantKey();
  const row = await prisma.grant.create({
    data: {
      workspaceId: caller.workspaceId,
      name: input.name.trim(),
      keyPrefix: prefix,
      keyHash: hash,
      createdBy: caller.email,
      servers: { create: serverIds.map((serverId) => ({ serverId })) },
    },
    include: { servers: { select: { serverId: true } } },
  });
  return { grant: toGrantView(row), key };
}

/** The workspace's grants, newest first (revoked ones included, marked). */
export async function listGrants(caller: Caller): Promise<GrantView[]> {
  const rows = await getPrisma().grant.findMany({
    where: { workspaceId: caller.workspaceId },
    orderBy: { createdAt: "desc" },
    include: { servers: { select: { serverId: true } } },
  });
  const clients = await grantOAuthClients(caller.workspaceId);
  return rows.map((row) => toGrantView(row, clients.get(row.id)));
}

/**
 * Revokes a grant: its key stops working on the next request (resolveGrantKey reads the row every time), and so do
 * its OAuth clients' access and refresh tokens (every token check reads the grant: lib/oauth/tokens.ts).
 */
export async function revokeGrant(caller: Caller, id: string, now = new Date()): Promise<GrantView> {
  const prisma = getPrisma();
  const existing = await prisma.grant.findFirst({ where: { id, workspaceId: caller.workspaceId } });
  if (!existing) throw notFound("That grant");
  const row = await prisma.grant.update({
    where: { id },
    data: { revokedAt: existing.revokedAt ?? now },
    include: { servers: { select: { serverId: true } } },
  });
  return toGrantView(row, (await grantOAuthClients(caller.workspaceId, [id])).get(id));
}

export interface ResolvedGrant {
  grantId: string;
  workspaceId: string;
  name: string;
}

/**
 * The grant a gateway request presents, when its key is valid, not revoked, and names `serverId`; else null.
 * No cache: one indexed query per request, so revocation holds on the next request on every instance. Rejects
 * when the database cannot answer (the gateway then fails closed).
 */
export async function resolveGrantKey(key: string, serverId: string): Promise<ResolvedGrant | null> {
  if (!looksLikeGrantKey(key)) return null;
  const row = await getPrisma().grant.findUnique({
    where: { keyHash: hashGrantKey(key) },
    select: { id: true, workspaceId: true, name: true, revokedAt: true, servers: { where: { serverId }, select: { serverId: true } } },
  });
  if (!row || row.revokedAt !== null || row.servers.length === 0) return null;
  return { grantId: row.id, workspaceId: row.workspaceId, name: row.name };
}

/** Records the last use of a grant, at most once a minute per grant (a conditional update, no read). */
export async function touchGrant(grantId: string, now = new Date()): Promise<void> {
  await getPrisma().grant.updateMany({
    where: { id: grantId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
    data: { lastUsedAt: now },
  });
}
