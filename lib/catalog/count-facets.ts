import { RISK_CATEGORIES, RISK_LEVELS } from "@/lib/risk/types";

// Facet counts from counts per facet set: a search counts its matches per set (a few dozen rows, whatever the number
// of matches), and everything the page shows is a sum over them. Pure, so the rules read at a glance: the total is
// the matches passing every filter; each facet counts the matches passing every other filter, by its own values.

export type FacetCounts = Record<string, number>;

export interface Facets {
  level: FacetCounts;
  category: FacetCounts;
  transport: FacetCounts;
  registryType: FacetCounts;
}

/** A facet set (a combination of values) and how many matches it holds. Sets of deleted servers are left out. */
export interface FacetGroup {
  level: string | null;
  categories: string[];
  transports: string[];
  registryTypes: string[];
  n: number;
}

export interface FacetFilters {
  level?: readonly string[];
  category?: readonly string[];
  transport?: readonly string[];
  registryType?: readonly string[];
}

type Facet = keyof Facets;

/** Whether values pass a filter: no filter passes everything; otherwise one of the values must be chosen. */
const passes = (chosen: readonly string[] | undefined, values: readonly (string | null)[]) =>
  !chosen?.length || values.some((v) => v !== null && chosen.includes(v));

/** Which filters a set passes. */
export function passedFilters(group: Omit<FacetGroup, "n">, filters: FacetFilters): Record<Facet, boolean> {
  return {
    level: passes(filters.level, [group.level]),
    category: passes(filters.category, group.categories),
    transport: passes(filters.transport, group.transports),
    registryType: passes(filters.registryType, group.registryTypes),
  };
}

export function countFacets(groups: readonly FacetGroup[], filters: FacetFilters): { total: number; facets: Facets } {
  const facets: Facets = {
    level: Object.fromEntries(RISK_LEVELS.map((l) => [l, 0])),
    category: Object.fromEntries(RISK_CATEGORIES.map((c) => [c, 0])),
    transport: {},
    registryType: {},
  };
  let total = 0;
  for (const { n, ...group } of groups) {
    // A value no match has is not offered (levels and categories are always listed, at 0).
    if (n === 0) continue;
    const ok = passedFilters(group, filters);
    const others = (facet: Facet) => (Object.keys(ok) as Facet[]).every((f) => f === facet || ok[f]);
    const add = (facet: Facet, values: readonly (string | null)[]) => {
      if (!others(facet)) return;
      for (const v of values) if (v !== null) facets[facet][v] = (facets[facet][v] ?? 0) + n;
    };
    if (ok.level && others("level")) total += n;
    add("level", [group.level]);
    add("category", group.categories);
    add("transport", group.transports);
    add("registryType", group.registryTypes);
  }
  return { total, facets };
}
