// The workspace's audit trail, newest first, filtered, in keyset pages over (at, id): a page never repeats or
// skips a row, even when many rows share one millisecond or new rows arrive between pages.
import type { Caller } from "@/lib/auth/caller";
import { encodeAuditCursor, type AuditPosition } from "@/lib/audit/audit-cursor";
import type { AuditDecision } from "@/lib/audit/decisions";
import { getPool } from "@/lib/db/client";

export interface AuditEventQuery {
  serverId?: string;
  grantId?: string;
  /** An exact tool name, or a pattern where * stands for any characters. */
  tool?: string;
  /** An exact method: a JSON-RPC method, or GET / DELETE. */
  method?: string;
  decision?: AuditDecision[];
  from?: Date;
  to?: Date;
  limit: number;
  /** Only rows older than this position (the next page). */
  cursor?: AuditPosition;
  /** Only rows newer than this position (live updates). */
  after?: AuditPosition;
}

export interface AuditEventView {
  id: string;
  cursor: string;
  at: string;
  requestId: string;
  server: { id: string; name: string | null } | null;
  grant: { id: string; name: string | null } | null;
  method: string | null;
  tool: string | null;
  decision: AuditDecision;
  code: string | null;
  rule: string | null;
  reason: string | null;
  /** Sent to the upstream (its status and timings are added when the answer is back). */
  forwarded: boolean;
  upstreamStatus: number | null;
  gatewayMs: number | null;
  upstreamMs: number | null;
  argumentNames: string[];
  argumentsSha256: string | null;
}

interface AuditRow {
  id: string;
  at: Date;
  request_id: string;
  server_id: string | null;
  server_name: string | null;
  grant_id: string | null;
  grant_name: string | null;
  method: string | null;
  tool: string | null;
  decision: AuditDecision;
  code: string | null;
  rule: string | null;
  reason: string | null;
  forwarded: boolean;
  upstream_status: number | null;
  gateway_ms: number | null;
  upstream_ms: number | null;
  argument_names: string[] | null;
  arguments_sha256: string | null;
}

/** A tool pattern as a LIKE pattern: * is any run of characters, everything else is literal. */
export function toolPatternToLike(pattern: string): string {
  return pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, "%");
}

export async function listAuditEvents(caller: Caller, query: AuditEventQuery): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
  const values: unknown[] = [caller.workspaceId];
  const param = (value: unknown) => `$${values.push(value)}`;
  const where = ["e.workspace_id = $1"];
  if (query.serverId) where.push(`e.server_id = ${param(query.serverId)}::uuid`);
  if (query.grantId) where.push(`e.grant_id = ${param(query.grantId)}::uuid`);
  if (query.tool !== undefined) {
    where.push(query.tool.includes("*") ? `e.tool LIKE ${param(toolPatternToLike(query.tool))} ESCAPE '\\'` : `e.tool = ${param(query.tool)}`);
  }
  if (query.method !== undefined) where.push(`e.method = ${param(query.method)}`);
  if (query.decision?.length) where.push(`e.decision = ANY(${param(query.decision)}::text[])`);
  if (query.from) where.push(`e.at >= ${param(query.from.toISOString())}::timestamptz`);
  if (query.to) where.push(`e.at < ${param(query.to.toISOString())}::timestamptz`);
  if (query.cursor) where.push(`(e.at, e.id) < (${param(query.cursor.at.toISOString())}::timestamptz, ${param(query.cursor.id)}::uuid)`);
  if (query.after) where.push(`(e.at, e.id) > (${param(query.after.at.toISOString())}::timestamptz, ${param(query.after.id)}::uuid)`);
  // One row more than asked tells whether there is a next page.
  const limit = param(query.limit + 1);

  // Server and grant names are joined within the workspace: the trail keeps ids without foreign keys, so a row
  // whose server or grant was deleted keeps its id and gets no name.
  const { rows } = await getPool().query<AuditRow>(
    `SELECT e.id, e.at, e.request_id, e.server_id, s.name AS server_name, e.grant_id, g.name AS grant_name, e.method,
            e.tool, e.decision, e.code, e.rule, e.reason, e.forwarded, e.upstream_status, e.gateway_ms, e.upstream_ms,
            e.argument_names, e.arguments_sha256
       FROM audit_events e
       LEFT JOIN mcp_servers s ON s.id = e.server_id AND s.workspace_id = e.workspace_id
       LEFT JOIN grants g ON g.id = e.grant_id AND g.workspace_id = e.workspace_id
      WHERE ${where.join(" AND ")}
      ORDER BY e.at DESC, e.id DESC
      LIMIT ${limit}`,
    values,
  );

  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    events: page.map(toView),
    nextCursor: rows.length > query.limit && last ? encodeAuditCursor({ at: last.at, id: last.id }) : null,
  };
}

function toView(row: AuditRow): AuditEventView {
  return {
    id: row.id,
    cursor: encodeAuditCursor({ at: row.at, id: row.id }),
    at: row.at.toISOString(),
    requestId: row.request_id,
    server: row.server_id ? { id: row.server_id, name: row.server_name } : null,
    grant: row.grant_id ? { id: row.grant_id, name: row.grant_name } : null,
    method: row.method,
    tool: row.tool,
    decision: row.decision,
    code: row.code,
    rule: row.rule,
    reason: row.reason,
    forwarded: row.forwarded,
    upstreamStatus: row.upstream_status,
    gatewayMs: row.gateway_ms,
    upstreamMs: row.upstream_ms,
    argumentNames: row.argument_names ?? [],
    argumentsSha256: row.arguments_sha256,
  };
}
