import type { ToolListQuery } from "@/lib/query-hooks/servers";
import { RISK_CATEGORIES, RISK_LEVELS, type RiskCategory, type RiskLevel } from "@/lib/risk/types";

// The tools table's filters live in the page's URL (?q=&level=&category=&sort=) so a reload or a shared link shows
// the same view. Unknown values are dropped rather than sent to the API to be refused.

export const SORTS = ["name", "-name", "level", "-level", "category", "-category"] as const;
export type ToolSort = (typeof SORTS)[number];
export type SortColumn = "name" | "level" | "category";
export const DEFAULT_SORT: ToolSort = "-level";

export interface ToolFilters {
  q: string;
  level: RiskLevel | "";
  category: RiskCategory | "";
  sort: ToolSort;
}

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return values.find((v) => v === value);
}

export function readToolFilters(params: URLSearchParams): ToolFilters {
  return {
    q: (params.get("q") ?? "").slice(0, 200),
    level: oneOf(RISK_LEVELS, params.get("level")) ?? "",
    category: oneOf(RISK_CATEGORIES, params.get("category")) ?? "",
    sort: oneOf(SORTS, params.get("sort")) ?? DEFAULT_SORT,
  };
}

/** The search params for a set of filters, leaving out what is at its default so URLs stay short. */
export function writeToolFilters(filters: ToolFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q.trim()) params.set("q", filters.q.trim());
  if (filters.level) params.set("level", filters.level);
  if (filters.category) params.set("category", filters.category);
  if (filters.sort !== DEFAULT_SORT) params.set("sort", filters.sort);
  return params;
}

/** The API query for a set of filters; the default view asks for `{}`, the same cache entry other sections use. */
export function toQuery(filters: ToolFilters): ToolListQuery {
  return {
    ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
    ...(filters.level ? { level: filters.level } : {}),
    ...(filters.category ? { category: filters.category } : {}),
    ...(filters.sort !== DEFAULT_SORT ? { sort: filters.sort } : {}),
  };
}

/** Clicking a column sorts by it; clicking it again reverses. Risk starts highest first, text columns A to Z. */
export function nextSort(current: ToolSort, column: SortColumn): ToolSort {
  if (current === column) return `-${column}`;
  if (current === `-${column}`) return column;
  return column === "level" ? "-level" : column;
}
