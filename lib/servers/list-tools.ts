import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { RISK_LEVELS, type RiskCategory, type RiskLevel } from "@/lib/risk/types";
import { getServerOrThrow } from "@/lib/servers/get-server-or-throw";
import { toToolSummary } from "@/lib/servers/tool-view";

export interface ListToolsQuery {
  q?: string;
  level?: RiskLevel;
  category?: RiskCategory;
  status?: "active" | "needs_review" | "removed";
  sort: "name" | "-name" | "level" | "-level" | "category" | "-category";
}

/** A server's tools, filtered and sorted by their effective (overridden or classified) risk. */
export async function listTools(caller: Caller, serverId: string, query: ListToolsQuery) {
  const server = await getServerOrThrow(caller, serverId);
  const q = query.q?.trim();
  const rows = await getPrisma().tool.findMany({
    where: {
      serverId: server.id,
      ...(query.status ? { status: query.status } : { status: { not: "removed" } }),
      ...(q
        ? { OR: [{ name: { contains: q, mode: "insensitive" } }, { title: { contains: q, mode: "insensitive" } }, { description: { contains: q, mode: "insensitive" } }] }
        : {}),
    },
  });
  let tools = rows.map(toToolSummary);
  if (query.level) tools = tools.filter((t) => t.level === query.level);
  if (query.category) tools = tools.filter((t) => t.category === query.category);
  const descending = query.sort.startsWith("-");
  const key = query.sort.replace(/^-/, "") as "name" | "level" | "category";
  const rank = (t: (typeof tools)[number]) => (key === "level" ? String(RISK_LEVELS.indexOf(t.level)) : key === "category" ? t.category : "");
  tools.sort((a, b) => {
    const primary = rank(a).localeCompare(rank(b));
    const ordered = descending ? -primary : primary;
    if (key === "name") return descending ? b.name.localeCompare(a.name) : a.name.localeCompare(b.name);
    return ordered || a.name.localeCompare(b.name);
  });
  return tools;
}
