// One row of the audit trail as the console reads it: its columns (each named once, with its SQL and type) and the one
// mapping to the API's shape (auditEventSchema). Every console read of the trail selects through these; the gateway
// writes the rows with its own SQL (lib/gateway/audit.ts).
import type { z } from "zod";
import type { auditEventSchema } from "@/lib/api-contract/audit-schemas";
import { encodeAuditCursor } from "@/lib/audit/audit-cursor";
import type { AuditDecision } from "@/lib/audit/decisions";
import { column, selectList, type RowOf } from "@/lib/db/select-columns";

export type AuditEventView = z.output<typeof auditEventSchema>;

const AUDIT_EVENT_COLUMNS = {
  id: column<string>("e.id"),
  at: column<Date>("e.at"),
  requestId: column<string>("e.request_id"),
  serverId: column<string | null>("e.server_id"),
  serverName: column<string | null>("s.name"),
  grantId: column<string | null>("e.grant_id"),
  grantName: column<string | null>("g.name"),
  method: column<string | null>("e.method"),
  tool: column<string | null>("e.tool"),
  decision: column<AuditDecision>("e.decision"),
  code: column<string | null>("e.code"),
  rule: column<string | null>("e.rule"),
  reason: column<string | null>("e.reason"),
  forwarded: column<boolean>("e.forwarded"),
  upstreamStatus: column<number | null>("e.upstream_status"),
  gatewayMs: column<number | null>("e.gateway_ms"),
  upstreamMs: column<number | null>("e.upstream_ms"),
  // The column has no NOT NULL (Prisma's lists never do), though every writer stores an array.
  argumentNames: column<string[] | null>("e.argument_names"),
  argumentsSha256: column<string | null>("e.arguments_sha256"),
};

export type AuditEventRow = RowOf<typeof AUDIT_EVENT_COLUMNS>;

/**
 * The trail as `e`, for a WHERE and ORDER BY to follow. Server and grant names are joined within the workspace: the
 * trail keeps ids without foreign keys, so a row whose server or grant was deleted keeps its id and gets no name.
 */
export const SELECT_AUDIT_EVENTS = `
SELECT ${selectList(AUDIT_EVENT_COLUMNS)}
  FROM audit_events e
  LEFT JOIN mcp_servers s ON s.id = e.server_id AND s.workspace_id = e.workspace_id
  LEFT JOIN grants g ON g.id = e.grant_id AND g.workspace_id = e.workspace_id`;

export function toAuditEventView(row: AuditEventRow): AuditEventView {
  return {
    id: row.id,
    cursor: encodeAuditCursor({ at: row.at, id: row.id }),
    at: row.at.toISOString(),
    requestId: row.requestId,
    server: row.serverId ? { id: row.serverId, name: row.serverName } : null,
    grant: row.grantId ? { id: row.grantId, name: row.grantName } : null,
    method: row.method,
    tool: row.tool,
    decision: row.decision,
    code: row.code,
    rule: row.rule,
    reason: row.reason,
    forwarded: row.forwarded,
    upstreamStatus: row.upstreamStatus,
    gatewayMs: row.gatewayMs,
    upstreamMs: row.upstreamMs,
    argumentNames: row.argumentNames ?? [],
    argumentsSha256: row.argumentsSha256,
  };
}
