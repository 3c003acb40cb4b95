// The workspace's audit trail, newest first, filtered, in keyset pages over (at, id): a page never repeats or
// skips a row, even when many rows share one millisecond or new rows arrive between pages.
import type { Caller } from "@/lib/auth/caller";
import { encodeAuditCursor, type AuditPosition } from "@/lib/audit/audit-cursor";
import { SELECT_AUDIT_EVENTS, toAuditEventView, type AuditEventRow, type AuditEventView } from "@/lib/audit/audit-event-row";
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

  const { rows } = await getPool().query<AuditEventRow>(
    `${SELECT_AUDIT_EVENTS}
      WHERE ${where.join(" AND ")}
      ORDER BY e.at DESC, e.id DESC
      LIMIT ${limit}`,
    values,
  );

  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    events: page.map(toAuditEventView),
    nextCursor: rows.length > query.limit && last ? encodeAuditCursor({ at: last.at, id: last.id }) : null,
  };
}
