import { getPrisma } from "@/lib/db/client";

/** The names of a server's current tools, for the policy warnings that depend on them. */
export async function serverToolNames(serverId: string): Promise<string[]> {
  const tools = await getPrisma().tool.findMany({ where: { serverId, status: { not: "removed" } }, select: { name: true } });
  return tools.map((t) => t.name);
}
