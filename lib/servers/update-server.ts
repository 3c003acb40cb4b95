import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { getServerOrThrow } from "@/lib/servers/get-server-or-throw";
import { nameTaken } from "@/lib/servers/register-server";
import { sealCredentials, type CredentialsInput } from "@/lib/servers/server-credentials";
import { serverView } from "@/lib/servers/server-views";

export async function updateServer(
  caller: Caller,
  id: string,
  input: { name?: string; credentials?: CredentialsInput | null; syncIntervalMinutes?: number },
  now = new Date(),
) {
  const server = await getServerOrThrow(caller, id);
  const data: Prisma.McpServerUpdateInput = {};
  if (input.name !== undefined) data.name = input.name;
  if (input.credentials !== undefined) Object.assign(data, sealCredentials(input.credentials, { workspaceId: server.workspaceId, serverId: server.id }));
  if (input.syncIntervalMinutes !== undefined) {
    data.syncIntervalMinutes = input.syncIntervalMinutes;
    data.nextSyncAt = new Date(Math.min(server.nextSyncAt?.getTime() ?? Infinity, now.getTime() + input.syncIntervalMinutes * 60_000));
  }
  try {
    return serverView(await getPrisma().mcpServer.update({ where: { id: server.id }, data }));
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw nameTaken(input.name ?? server.name);
    throw error;
  }
}
