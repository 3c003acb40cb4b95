import { getPrisma } from "@/lib/db/client";
import type { Caller } from "@/lib/auth/caller";
import { serverViews } from "@/lib/servers/server-views";

export async function listServers(caller: Caller) {
  const servers = await getPrisma().mcpServer.findMany({ where: { workspaceId: caller.workspaceId }, orderBy: { name: "asc" } });
  return serverViews(servers);
}
