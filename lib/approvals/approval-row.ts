// One approval as the console reads it: its columns (each named once, with its SQL and type) and the one mapping to
// the API's shape (approvalSchema). The Approvals page's list, one approval, and a decision's answer all select through
// these; the gateway's side (approval-store.ts) reads only the few columns it decides on.
import type { z } from "zod";
import type { approvalSchema } from "@/lib/api-contract/approval-schemas";
import type { ApprovalStatus } from "@/lib/approvals/approval-store";
import { column, selectList, type RowOf } from "@/lib/db/select-columns";
import type { RiskLevel } from "@/lib/risk/types";

export type ApprovalView = z.output<typeof approvalSchema>;

const APPROVAL_COLUMNS = {
  id: column<string>("a.id"),
  status: column<ApprovalStatus>("a.status"),
  tool: column<string>("a.tool"),
  // The tool's level as a person set it, else as classified; null once the tool is no longer stored.
  level: column<RiskLevel | null>("COALESCE(t.override_level, t.level)"),
  serverId: column<string>("a.server_id"),
  serverName: column<string>("s.name"),
  grantId: column<string>("a.grant_id"),
  grantName: column<string>("g.name"),
  arguments: column<Record<string, unknown> | null>("a.arguments"),
  // The column has no NOT NULL (Prisma's lists never do), though every writer stores an array.
  argumentNames: column<string[] | null>("a.argument_names"),
  argumentsSha256: column<string>("a.arguments_sha256"),
  rule: column<string | null>("a.rule"),
  reason: column<string | null>("a.reason"),
  createdAt: column<Date>("a.created_at"),
  waitingUntil: column<Date | null>("a.waiting_until"),
  expiresAt: column<Date>("a.expires_at"),
  decidedAt: column<Date | null>("a.decided_at"),
  decidedBy: column<string | null>("a.decided_by"),
  note: column<string | null>("a.note"),
  usedAt: column<Date | null>("a.used_at"),
  closedAt: column<Date | null>("a.closed_at"),
};

export type ApprovalViewRow = RowOf<typeof APPROVAL_COLUMNS>;

/** Approvals as `a`, with their server, grant and (while it is stored) tool, for a WHERE and ORDER BY to follow. */
export const SELECT_APPROVALS = `
SELECT ${selectList(APPROVAL_COLUMNS)}
  FROM approvals a
  JOIN mcp_servers s ON s.id = a.server_id
  JOIN grants g ON g.id = a.grant_id
  LEFT JOIN tools t ON t.server_id = a.server_id AND t.name = a.tool AND t.status <> 'removed'`;

/** The API's view of a row read at `now` (epoch ms). */
export function toApprovalView(r: ApprovalViewRow, now: number): ApprovalView {
  // An open approval past its deadline is expired even before the housekeeping marks it so.
  const lapsed = (r.status === "pending" || r.status === "approved") && r.expiresAt.getTime() <= now;
  const status: ApprovalStatus = lapsed ? "expired" : r.status;
  const waiting = status === "pending" && r.waitingUntil !== null && r.waitingUntil.getTime() > now;
  return {
    id: r.id,
    status,
    tool: r.tool,
    level: r.level,
    server: { id: r.serverId, name: r.serverName },
    grant: { id: r.grantId, name: r.grantName },
    arguments: lapsed ? null : r.arguments,
    argumentNames: r.argumentNames ?? [],
    argumentsSha256: r.argumentsSha256,
    rule: r.rule,
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
    waitingUntil: waiting ? r.waitingUntil!.toISOString() : null,
    expiresAt: r.expiresAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decidedBy: r.decidedBy,
    note: r.note,
    usedAt: r.usedAt?.toISOString() ?? null,
    closedAt: r.closedAt?.toISOString() ?? (lapsed ? r.expiresAt.toISOString() : null),
  };
}
