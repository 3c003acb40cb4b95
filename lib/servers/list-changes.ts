import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { getServerOrThrow } from "@/lib/servers/get-server-or-throw";

export async function listChanges(caller: Caller, serverId: string, limit = 200) {
  const server = await getServerOrThrow(caller, serverId);
  const rows = await getPrisma().toolChange.findMany({ where: { serverId: server.id }, orderBy: { detectedAt: "desc" }, take: limit });
  return rows.map((row) => ({
    id: row.id,
    toolName: row.toolName,
    kind: row.kind as "added" | "changed" | "removed" | "reclassified",
    before: (row.before as Record<string, unknown> | null) ?? null,
    after: (row.after as Record<string, unknown> | null) ?? null,
    detectedAt: row.detectedAt.toISOString(),
    reviewedAt: row.reviewedAt?.toISOString() ?? null,
    reviewedBy: row.reviewedBy,
  }));
}
