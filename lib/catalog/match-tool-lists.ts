// When a registered server is "the same server" as a catalog entry. Pure: both directions use it (a registered
// server's page looking for its catalog entry, a catalog tool's "Use this policy" looking for the user's servers).
//
// The rule: the two must share at least one tool name, and then either
//   - both report the same serverInfo name at initialize (the name the server gives itself), or
//   - more than half of the catalog's tool names and more than half of the live tool names are shared.
// The first holds across versions that add or drop many tools; the second holds for a fork or a bridge that
// renamed the server but serves the same tools. A single shared generic name ("search") between two otherwise
// different servers matches neither. find-catalog-match.ts applies the same rule in SQL to narrow the candidates.

export interface ToolListSide {
  /** serverInfo.name from initialize, when known. */
  serverInfoName: string | null;
  toolNames: readonly string[];
}

export type CatalogMatchBasis = "server-info" | "tool-names";

export interface ToolListMatch {
  basis: CatalogMatchBasis;
  /** Tool names both sides list. */
  shared: number;
}

export function matchToolLists(live: ToolListSide, catalog: ToolListSide): ToolListMatch | null {
  const catalogNames = new Set(catalog.toolNames);
  const liveNames = new Set(live.toolNames);
  let shared = 0;
  for (const name of liveNames) if (catalogNames.has(name)) shared += 1;
  const sameServerInfo = Boolean(live.serverInfoName) && live.serverInfoName === catalog.serverInfoName;
  return matchByCounts({ shared, liveTools: liveNames.size, catalogTools: catalogNames.size, sameServerInfo });
}

/** The rule on counts alone, for callers that counted the shared names in the database. */
export function matchByCounts(counts: { shared: number; liveTools: number; catalogTools: number; sameServerInfo: boolean }): ToolListMatch | null {
  const { shared, liveTools, catalogTools, sameServerInfo } = counts;
  if (shared === 0) return null;
  if (sameServerInfo) return { basis: "server-info", shared };
  if (shared * 2 > catalogTools && shared * 2 > liveTools) return { basis: "tool-names", shared };
  return null;
}

/** Better matches first: the same serverInfo name, then more shared tools, then fewer tools left over on either side. */
export function compareMatches(
  a: ToolListMatch & { catalogTools: number; liveTools: number },
  b: ToolListMatch & { catalogTools: number; liveTools: number },
): number {
  if (a.basis !== b.basis) return a.basis === "server-info" ? -1 : 1;
  if (a.shared !== b.shared) return b.shared - a.shared;
  return a.catalogTools + a.liveTools - 2 * a.shared - (b.catalogTools + b.liveTools - 2 * b.shared);
}
