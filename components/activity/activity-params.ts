import { AUDIT_DECISIONS, type AuditDecision } from "@/lib/audit/decisions";
import type { AuditFilters } from "@/lib/query-hooks/audit";

// The Activity page's filters live in its URL (?server=&grant=&tool=&method=tools/call&decision=deny,error&range=1h, or
// range=custom&from=&to= with ISO times) so a filtered view can be shared and survives a reload. Values that cannot be
// right are dropped rather than sent to the API to be refused.

export const TIME_RANGES = [
  { id: "15m", label: "Last 15 minutes", ms: 15 * 60_000 },
  { id: "1h", label: "Last hour", ms: 60 * 60_000 },
  { id: "24h", label: "Last 24 hours", ms: 24 * 60 * 60_000 },
  { id: "7d", label: "Last 7 days", ms: 7 * 24 * 60 * 60_000 },
  { id: "all", label: "All time", ms: null },
  { id: "custom", label: "Custom range", ms: null },
] as const;

export type TimeRange = (typeof TIME_RANGES)[number]["id"];
export const DEFAULT_RANGE: TimeRange = "all";

export interface ActivityFilters {
  server: string;
  grant: string;
  tool: string;
  /** "tools/call" for tool calls only (the page's one method filter), else "". */
  method: string;
  decisions: AuditDecision[];
  range: TimeRange;
  /** ISO times, for the custom range only. */
  from: string;
  to: string;
}

export const NO_FILTERS: ActivityFilters = { server: "", grant: "", tool: "", method: "", decisions: [], range: DEFAULT_RANGE, from: "", to: "" };

/** The method the "Tool calls only" switch filters on. */
export const TOOL_CALLS = "tools/call";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isoTime(value: string | null): string {
  if (!value) return "";
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? "" : time.toISOString();
}

export function readActivityFilters(params: URLSearchParams): ActivityFilters {
  const id = (name: string) => {
    const value = params.get(name) ?? "";
    return UUID.test(value) ? value.toLowerCase() : "";
  };
  const decisions = (params.get("decision") ?? "").split(",");
  const range = TIME_RANGES.find((r) => r.id === params.get("range"))?.id ?? DEFAULT_RANGE;
  return {
    server: id("server"),
    grant: id("grant"),
    tool: (params.get("tool") ?? "").trim().slice(0, 200),
    method: params.get("method") === TOOL_CALLS ? TOOL_CALLS : "",
    // In the order the page lists them, so one view has one URL.
    decisions: AUDIT_DECISIONS.filter((d) => decisions.includes(d)),
    range,
    from: range === "custom" ? isoTime(params.get("from")) : "",
    to: range === "custom" ? isoTime(params.get("to")) : "",
  };
}

/** The search params for a set of filters, leaving out what is at its default so URLs stay short. */
export function writeActivityFilters(filters: ActivityFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.server) params.set("server", filters.server);
  if (filters.grant) params.set("grant", filters.grant);
  if (filters.tool.trim()) params.set("tool", filters.tool.trim());
  if (filters.method) params.set("method", filters.method);
  const decisions = AUDIT_DECISIONS.filter((d) => filters.decisions.includes(d));
  if (decisions.length) params.set("decision", decisions.join(","));
  if (filters.range !== DEFAULT_RANGE) params.set("range", filters.range);
  if (filters.range === "custom") {
    if (filters.from) params.set("from", filters.from);
    if (filters.to) params.set("to", filters.to);
  }
  return params;
}

export function isFiltered(filters: ActivityFilters): boolean {
  return writeActivityFilters(filters).size > 0;
}

/** What the API is asked for. A preset range is kept relative (sinceMs): it is resolved when a first page loads. */
export function toAuditFilters(filters: ActivityFilters): AuditFilters {
  const preset = TIME_RANGES.find((r) => r.id === filters.range)?.ms ?? null;
  return {
    ...(filters.server ? { serverId: filters.server } : {}),
    ...(filters.grant ? { grantId: filters.grant } : {}),
    ...(filters.tool.trim() ? { tool: filters.tool.trim() } : {}),
    ...(filters.method ? { method: filters.method } : {}),
    ...(filters.decisions.length ? { decision: AUDIT_DECISIONS.filter((d) => filters.decisions.includes(d)) } : {}),
    ...(preset ? { sinceMs: preset } : {}),
    ...(filters.range === "custom" && filters.from ? { from: filters.from } : {}),
    ...(filters.range === "custom" && filters.to ? { to: filters.to } : {}),
  };
}

/** An ISO time as the value of an <input type="datetime-local"> (local time, to the minute). */
export function toLocalInput(iso: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value (local time) as an ISO time, or "" when it is empty or incomplete. */
export function fromLocalInput(value: string): string {
  return isoTime(value || null);
}
