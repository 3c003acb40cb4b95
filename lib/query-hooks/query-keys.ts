// The console's TanStack Query keys: one factory per feature, all here, so a hook that invalidates another feature's
// data (a sync refreshes the tools) imports keys, never that feature's hooks.
import type { z } from "zod";
import type { listToolsQuerySchema } from "@/lib/api-contract/server-schemas";
import type { AuditDecision } from "@/lib/audit/decisions";

/** The tools list's filters and order, as the API takes them (every one optional). */
export type ToolListQuery = Partial<z.input<typeof listToolsQuerySchema>>;

/** The trail's filters as the console asks for them. */
export interface AuditFilters {
  serverId?: string;
  grantId?: string;
  tool?: string;
  method?: string;
  decision?: AuditDecision[];
  /** A window ending now ("the last hour"), resolved to a start time when the first page is fetched. */
  sinceMs?: number;
  from?: string;
  to?: string;
}

export const serverKeys = {
  all: ["servers"] as const,
  list: () => [...serverKeys.all, "list"] as const,
  detail: (id: string) => [...serverKeys.all, "detail", id] as const,
  tools: (id: string, query: ToolListQuery = {}) => [...serverKeys.all, "detail", id, "tools", query] as const,
  changes: (id: string) => [...serverKeys.all, "detail", id, "changes"] as const,
  catalogMatch: (id: string) => [...serverKeys.all, "detail", id, "catalog-match"] as const,
};

export const toolKeys = {
  all: ["tools"] as const,
  detail: (id: string) => [...toolKeys.all, "detail", id] as const,
};

export const policyKeys = {
  all: ["policies"] as const,
  server: (serverId: string) => [...policyKeys.all, serverId] as const,
  state: (serverId: string) => [...policyKeys.server(serverId), "state"] as const,
  versions: (serverId: string) => [...policyKeys.server(serverId), "versions"] as const,
  version: (serverId: string, version: number) => [...policyKeys.server(serverId), "versions", version] as const,
};

export const grantKeys = {
  all: ["grants"] as const,
  list: () => [...grantKeys.all, "list"] as const,
};

export const tokenKeys = {
  all: ["tokens"] as const,
  list: () => [...tokenKeys.all, "list"] as const,
};

export const approvalKeys = {
  all: ["approvals"] as const,
  lists: () => [...approvalKeys.all, "list"] as const,
  list: (state: "pending" | "decided") => [...approvalKeys.lists(), state] as const,
  webhook: () => [...approvalKeys.all, "webhook"] as const,
};

export const auditKeys = {
  all: ["audit-events"] as const,
  lists: () => [...auditKeys.all, "list"] as const,
  list: (filters: AuditFilters) => [...auditKeys.lists(), filters] as const,
  live: (filters: AuditFilters) => [...auditKeys.all, "live", filters] as const,
};
