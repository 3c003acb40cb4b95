import { currentCaller } from "@/lib/auth/current-caller";
import { getPrisma } from "@/lib/db/client";

// Browser tab titles for the server, policy and tool pages: the thing's own name, when the caller may see it.

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function serverTitle(id: string): Promise<string | null> {
  const caller = UUID_PATTERN.test(id) ? await currentCaller() : null;
  if (!caller) return null;
  const server = await getPrisma().mcpServer.findFirst({ where: { id, workspaceId: caller.workspaceId }, select: { name: true } });
  return server?.name ?? null;
}

export async function toolTitle(id: string): Promise<string | null> {
  const caller = UUID_PATTERN.test(id) ? await currentCaller() : null;
  if (!caller) return null;
  const tool = await getPrisma().tool.findFirst({
    where: { id, server: { workspaceId: caller.workspaceId } },
    select: { name: true, server: { select: { name: true } } },
  });
  return tool ? `${tool.name} on ${tool.server.name}` : null;
}
