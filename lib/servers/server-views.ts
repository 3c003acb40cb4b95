import type { McpServer } from "@/lib/generated/prisma/client";
import { toServerView, type ServerView } from "@/lib/servers/server-view";
import { toolCounts } from "@/lib/servers/tool-counts";

export async function serverViews(servers: McpServer[]): Promise<ServerView[]> {
  const counts = await toolCounts(servers.map((s) => s.id));
  return servers.map((server) => toServerView(server, counts.get(server.id)!));
}

export async function serverView(server: McpServer): Promise<ServerView> {
  return (await serverViews([server]))[0]!;
}
