import { getPrisma } from "@/lib/db/client";
import type { Caller } from "@/lib/auth/caller";
import { notFound } from "@/lib/http/api-error";

/** A server of the caller's workspace; anything else is a 404, whether it exists elsewhere or not. */
export async function getServerOrThrow(caller: Caller, id: string) {
  const server = await getPrisma().mcpServer.findFirst({ where: { id, workspaceId: caller.workspaceId } });
  if (!server) throw notFound("That server");
  return server;
}
