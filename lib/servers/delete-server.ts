import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { getServerOrThrow } from "@/lib/servers/get-server-or-throw";

/** Removes a server with its tools and their change history. */
export async function deleteServer(caller: Caller, id: string): Promise<void> {
  const server = await getServerOrThrow(caller, id);
  await getPrisma().mcpServer.delete({ where: { id: server.id } });
}
