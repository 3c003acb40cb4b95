// The console's side of approvals: the Approvals page's list and the decision on a held call, and the workspace's
// approvals webhook. A decision is one statement: the guarded status change (only a pending approval can be
// decided, so two people deciding at once cannot both win) and its audit row, committed together; the status change
// fires the notification that wakes the gateway instance holding the call (approval-waiter.ts).
import { randomUUID } from "node:crypto";
import type { Caller } from "@/lib/auth/caller";
import { getPool, getPrisma } from "@/lib/db/client";
import { ApiError, notFound } from "@/lib/http/api-error";
import { SELECT_APPROVALS, toApprovalView, type ApprovalViewRow, type ApprovalView } from "@/lib/approvals/approval-row";
import { APPROVAL_USE_WINDOW_MS } from "@/lib/approvals/approval-store";
import { sealWebhookUrl, sendWebhookTest, type WebhookTestResult } from "@/lib/approvals/webhook";

export type { ApprovalView } from "@/lib/approvals/approval-row";

export type ApprovalListState = "pending" | "decided";

/**
 * `pending`: calls waiting for a decision, oldest first (the one waiting longest on top). `decided`: the rest,
 * newest first, up to `limit`.
 */
export async function listApprovals(caller: Caller, state: ApprovalListState, limit = 50): Promise<ApprovalView[]> {
  const pending = state === "pending";
  const where = pending
    ? `a.workspace_id = $1::uuid AND a.status = 'pending' AND a.expires_at > now()`
    : `a.workspace_id = $1::uuid AND NOT (a.status = 'pending' AND a.expires_at > now())`;
  const order = pending ? `a.created_at ASC` : `COALESCE(a.closed_at, a.decided_at, LEAST(a.expires_at, now()), a.created_at) DESC`;
  const { rows } = await getPool().query<ApprovalViewRow>(`${SELECT_APPROVALS} WHERE ${where} ORDER BY ${order} LIMIT $2`, [caller.workspaceId, limit]);
  const now = Date.now();
  return rows.map((r) => toApprovalView(r, now));
}

export async function getApproval(caller: Caller, id: string): Promise<ApprovalView> {
  const { rows } = await getPool().query<ApprovalViewRow>(`${SELECT_APPROVALS} WHERE a.workspace_id = $1::uuid AND a.id = $2::uuid`, [caller.workspaceId, id]);
  if (!rows[0]) throw notFound("That approval");
  return toApprovalView(rows[0], Date.now());
}

export interface DecisionInput {
  decision: "approve" | "reject";
  note?: string | undefined;
}

// The status change and its audit row in one statement. A rejected approval's argument values are erased at once;
// an approved one keeps them until it is used or expires, and gets a fresh window to be used in.
const DECIDE = `
WITH decided AS (
  UPDATE approvals
     SET status = $3, decided_at = now(), decided_by = $4, note = $5,
         arguments = CASE WHEN $3 = 'rejected' THEN NULL ELSE arguments END,
         waiting_until = CASE WHEN $3 = 'rejected' THEN NULL ELSE waiting_until END,
         closed_at = CASE WHEN $3 = 'rejected' THEN now() ELSE NULL END,
         expires_at = CASE WHEN $3 = 'approved' THEN now() + make_interval(secs => $6::float8 / 1000) ELSE expires_at END
   WHERE id = $2::uuid AND workspace_id = $1::uuid AND status = 'pending' AND expires_at > now()
  RETURNING *
), recorded AS (
  INSERT INTO audit_events (id, workspace_id, server_id, grant_id, request_id, method, tool, decision, code, rule, reason,
                            argument_names, arguments_sha256)
  SELECT $7::uuid, d.workspace_id, d.server_id, d.grant_id, $8, 'approval', d.tool,
         CASE WHEN $3 = 'approved' THEN 'allow' ELSE 'deny' END,
         CASE WHEN $3 = 'approved' THEN 'approval_approved' ELSE 'approval_rejected' END,
         d.rule, $9, d.argument_names, d.arguments_sha256
    FROM decided d
)
SELECT id FROM decided`;

const MAX_NOTE = 1000;

/**
 * Approves or rejects a pending approval. 404 when it is not in the caller's workspace; 409 when it is no longer
 * pending (decided by someone else, withdrawn by its client, or expired), saying which.
 */
export async function decideApproval(caller: Caller, id: string, input: DecisionInput): Promise<ApprovalView> {
  const note = input.note?.trim() ? input.note.trim() : null;
  if (note !== null && note.length > MAX_NOTE) {
    throw new ApiError(422, "validation_failed", "The note is too long.", [{ path: "body.note", message: `Use at most ${MAX_NOTE} characters.` }]);
  }
  const status = input.decision === "approve" ? "approved" : "rejected";
  const by = caller.email;
  const said = note ? `: "${note}"` : " (no note)";
  const reason =
    status === "approved"
      ? `Approved by ${by} (approval ${id})${said}. The held call, or the same call made again within ${APPROVAL_USE_WINDOW_MS / 60_000} minutes, goes through once.`
      : `Rejected by ${by} (approval ${id})${said}.`;
  const { rows } = await getPool().query<{ id: string }>(DECIDE, [
    caller.workspaceId,
    id,
    status,
    by,
    note,
    APPROVAL_USE_WINDOW_MS,
    randomUUID(),
    `approval:${id}`,
    reason,
  ]);
  const view = await getApproval(caller, id);
  if (rows.length === 0) {
    const what: Record<string, string> = {
      approved: `It was already approved${view.decidedBy ? ` by ${view.decidedBy}` : ""}.`,
      rejected: `It was already rejected${view.decidedBy ? ` by ${view.decidedBy}` : ""}.`,
      used: "It was already approved and the call has been made.",
      expired: "It expired: nobody decided in time. The agent will ask again if it retries the call.",
      withdrawn: "Its client stopped waiting and withdrew it.",
      pending: "It could not be decided; try again.",
    };
    throw new ApiError(409, "approval_closed", `This approval can no longer be decided. ${what[view.status] ?? ""}`.trim());
  }
  return view;
}

/** The number of calls waiting for a decision (the navigation's badge). */
export async function countPendingApprovals(caller: Caller): Promise<number> {
  const { rows } = await getPool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM approvals WHERE workspace_id = $1::uuid AND status = 'pending' AND expires_at > now()`,
    [caller.workspaceId],
  );
  return rows[0]?.n ?? 0;
}

export interface WebhookView {
  /** Whether a webhook is set; its URL is never shown again (it often carries a secret), only its origin. */
  configured: boolean;
  origin: string | null;
}

export async function getApprovalWebhook(caller: Caller): Promise<WebhookView> {
  const row = await getPrisma().workspace.findUnique({ where: { id: caller.workspaceId }, select: { approvalWebhookOrigin: true } });
  return { configured: Boolean(row?.approvalWebhookOrigin), origin: row?.approvalWebhookOrigin ?? null };
}

/** Sends the workspace's webhook a test message now; 404 when none is set. */
export async function testApprovalWebhook(caller: Caller): Promise<WebhookTestResult> {
  const result = await sendWebhookTest(getPool(), caller.workspaceId);
  if (!result) throw new ApiError(404, "not_found", "No approvals webhook is set: save one first.");
  return result;
}

/** Sets (or, with null, removes) the workspace's approvals webhook. Only http(s) URLs; the network guard applies on send. */
export async function setApprovalWebhook(caller: Caller, url: string | null): Promise<WebhookView> {
  let sealed: string | null = null;
  let origin: string | null = null;
  if (url !== null) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      const message = "That is not a full URL: enter one such as https://hooks.slack.com/services/...";
      throw new ApiError(422, "validation_failed", message, [{ path: "body.url", message }]);
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
      const message = `The webhook URL must start with https:// (or http://), not ${parsed.protocol}//.`;
      throw new ApiError(422, "validation_failed", message, [{ path: "body.url", message }]);
    }
    if (parsed.username || parsed.password) {
      const message = "Put no user name or password in the webhook URL (the user:password@ part).";
      throw new ApiError(422, "validation_failed", message, [{ path: "body.url", message }]);
    }
    sealed = sealWebhookUrl(caller.workspaceId, parsed.href);
    origin = parsed.origin;
  }
  await getPrisma().workspace.update({
    where: { id: caller.workspaceId },
    data: { approvalWebhookCiphertext: sealed, approvalWebhookOrigin: origin },
  });
  return { configured: origin !== null, origin };
}
