// The gateway's side of approvals, on PostgreSQL: create an approval for a held call, find one for a retry, use an
// approved one (once), and close it when the client goes away or nobody decides in time. Every status change fires
// the `portcullis_approvals` notification (a trigger; migration 20261126100000_approvals), which the instance
// holding the call listens to (approval-waiter.ts). The console's side (listing, deciding) is approvals.ts.
import { randomUUID } from "node:crypto";
import type { Queryable } from "@/lib/db/queryable";

export type ApprovalStatus = "pending" | "approved" | "rejected" | "used" | "expired" | "withdrawn";
/** Statuses after which nothing can happen to an approval any more: its argument values are erased. */
export const FINAL_STATUSES: readonly ApprovalStatus[] = ["rejected", "used", "expired", "withdrawn"];

/** How long a held call can still be decided after its client stopped waiting (a later retry picks the decision up). */
export const APPROVAL_DECISION_WINDOW_MS = 60 * 60_000;
/** How long an approved call may be retried before the approval expires unused. */
export const APPROVAL_USE_WINDOW_MS = 60 * 60_000;

/** An approval's key: its workspace, then its id (migration 20261218000000_hot_tables_workspace_first). */
export interface ApprovalRef {
  workspaceId: string;
  id: string;
}

export interface ApprovalRow {
  id: string;
  workspaceId: string;
  serverId: string;
  grantId: string;
  tool: string;
  argumentsSha256: string;
  argumentNames: string[];
  status: ApprovalStatus;
  decidedBy: string | null;
  note: string | null;
  rule: string | null;
}

export interface NewApproval {
  workspaceId: string;
  serverId: string;
  grantId: string;
  tool: string;
  arguments: Record<string, unknown>;
  argumentNames: string[];
  argumentsSha256: string;
  rule: string | null;
  /** The rule's own reason (for people), if it has one. */
  reason: string | null;
  /** When the client stops waiting (epoch ms). */
  waitingUntil: number;
}

export interface ApprovalStore {
  /**
   * The approval a retry of this exact call (grant, server, tool, arguments) continues: an approved one not used yet,
   * else one still pending; null when there is neither (then the call needs a new approval).
   */
  findOpen(key: { workspaceId: string; grantId: string; serverId: string; tool: string; argumentsSha256: string }): Promise<ApprovalRow | null>;
  create(approval: NewApproval): Promise<string>;
  get(ref: ApprovalRef): Promise<ApprovalRow | null>;
  /** Several at once (the waiter's fallback poll). */
  getMany(refs: readonly ApprovalRef[]): Promise<ApprovalRow[]>;
  /** approved -> used, only once and only before it expires: true when this caller got it. */
  use(ref: ApprovalRef): Promise<boolean>;
  /** A client waits on a pending approval again (a retry), until `until` (epoch ms). */
  waitAgain(ref: ApprovalRef, until: number): Promise<boolean>;
  /** The client stopped waiting (its hold timed out): still pending, decidable until it expires. */
  stopWaiting(ref: ApprovalRef): Promise<void>;
  /** pending -> withdrawn (the client went away while held); true when it was still pending. */
  withdraw(ref: ApprovalRef): Promise<boolean>;
  /** pending or approved past `expires_at` -> expired; returns the approvals that expired. */
  expire(now: number): Promise<ApprovalRow[]>;
}

const COLUMNS = `id, workspace_id, server_id, grant_id, tool, arguments_sha256, argument_names, status, decided_by, note, rule`;

type Row = {
  id: string;
  workspace_id: string;
  server_id: string;
  grant_id: string;
  tool: string;
  arguments_sha256: string;
  argument_names: string[] | null;
  status: ApprovalStatus;
  decided_by: string | null;
  note: string | null;
  rule: string | null;
};

function toRow(r: Row): ApprovalRow {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    serverId: r.server_id,
    grantId: r.grant_id,
    tool: r.tool,
    argumentsSha256: r.arguments_sha256,
    argumentNames: r.argument_names ?? [],
    status: r.status,
    decidedBy: r.decided_by,
    note: r.note,
    rule: r.rule,
  };
}

// Every statement but the housekeeping's `expire` names the approval's workspace: it leads the key and the indexes.
const FIND_OPEN = `
SELECT ${COLUMNS} FROM approvals
 WHERE workspace_id = $1::uuid AND grant_id = $2::uuid AND server_id = $3::uuid AND tool = $4 AND arguments_sha256 = $5
   AND status IN ('approved', 'pending') AND expires_at > now()
 ORDER BY (status = 'approved') DESC, created_at DESC
 LIMIT 1`;

const INSERT = `
INSERT INTO approvals (id, workspace_id, server_id, grant_id, tool, arguments, argument_names, arguments_sha256, rule,
                       reason, waiting_until, expires_at)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6::jsonb, $7::text[], $8, $9, $10, to_timestamp($11::float8 / 1000),
        to_timestamp($11::float8 / 1000) + make_interval(secs => $12::float8 / 1000))`;

const USE = `
UPDATE approvals SET status = 'used', used_at = now(), closed_at = now(), arguments = NULL, waiting_until = NULL
 WHERE workspace_id = $1::uuid AND id = $2::uuid AND status = 'approved' AND expires_at > now()`;

const WAIT_AGAIN = `
UPDATE approvals SET waiting_until = to_timestamp($3::float8 / 1000),
       expires_at = GREATEST(expires_at, to_timestamp($3::float8 / 1000) + make_interval(secs => $4::float8 / 1000))
 WHERE workspace_id = $1::uuid AND id = $2::uuid AND status = 'pending'`;

const STOP_WAITING = `UPDATE approvals SET waiting_until = NULL WHERE workspace_id = $1::uuid AND id = $2::uuid AND status = 'pending'`;

const WITHDRAW = `
UPDATE approvals SET status = 'withdrawn', closed_at = now(), arguments = NULL, waiting_until = NULL
 WHERE workspace_id = $1::uuid AND id = $2::uuid AND status = 'pending'`;

const EXPIRE = `
UPDATE approvals SET status = 'expired', closed_at = now(), arguments = NULL, waiting_until = NULL
 WHERE status IN ('pending', 'approved') AND expires_at <= to_timestamp($1::float8 / 1000)
RETURNING ${COLUMNS}`;

export function createApprovalStore(db: Queryable): ApprovalStore {
  return {
    async findOpen(key) {
      const { rows } = await db.query<Row>(FIND_OPEN, [key.workspaceId, key.grantId, key.serverId, key.tool, key.argumentsSha256]);
      return rows[0] ? toRow(rows[0]) : null;
    },
    async create(a) {
      const id = randomUUID();
      await db.query(INSERT, [
        id,
        a.workspaceId,
        a.serverId,
        a.grantId,
        a.tool,
        JSON.stringify(a.arguments),
        a.argumentNames,
        a.argumentsSha256,
        a.rule,
        a.reason,
        a.waitingUntil,
        APPROVAL_DECISION_WINDOW_MS,
      ]);
      return id;
    },
    async get(ref) {
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM approvals WHERE workspace_id = $1::uuid AND id = $2::uuid`, [ref.workspaceId, ref.id]);
      return rows[0] ? toRow(rows[0]) : null;
    },
    async getMany(refs) {
      if (refs.length === 0) return [];
      const { rows } = await db.query<Row>(
        `SELECT ${COLUMNS} FROM approvals WHERE (workspace_id, id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`,
        [refs.map((r) => r.workspaceId), refs.map((r) => r.id)],
      );
      return rows.map(toRow);
    },
    async use(ref) {
      const result = await db.query(USE, [ref.workspaceId, ref.id]);
      return result.rowCount === 1;
    },
    async waitAgain(ref, until) {
      const result = await db.query(WAIT_AGAIN, [ref.workspaceId, ref.id, until, APPROVAL_DECISION_WINDOW_MS]);
      return result.rowCount === 1;
    },
    async stopWaiting(ref) {
      await db.query(STOP_WAITING, [ref.workspaceId, ref.id]);
    },
    async withdraw(ref) {
      const result = await db.query(WITHDRAW, [ref.workspaceId, ref.id]);
      return result.rowCount === 1;
    },
    async expire(now) {
      const { rows } = await db.query<Row>(EXPIRE, [now]);
      return rows.map(toRow);
    },
  };
}
