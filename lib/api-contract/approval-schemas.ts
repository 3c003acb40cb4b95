import { z } from "zod";

// API schemas for approvals: calls a `require_approval` rule holds until a person decides, and the workspace's
// approvals webhook.

export const APPROVAL_STATUSES = ["pending", "approved", "rejected", "used", "expired", "withdrawn"] as const;

export const approvalSchema = z.object({
  id: z.uuid(),
  status: z
    .enum(APPROVAL_STATUSES)
    .describe(
      "pending: waiting for a person. approved: the call goes through once when it is made (or made again). rejected, used, expired, withdrawn (its client went away): final.",
    ),
  tool: z.string(),
  level: z.enum(["low", "medium", "high", "critical"]).nullable().describe("The tool's risk level; null when the tool is no longer stored."),
  server: z.object({ id: z.uuid(), name: z.string() }),
  grant: z.object({ id: z.uuid(), name: z.string() }),
  arguments: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe("The argument values, for approvers, while the approval is pending or approved; erased (null) once it is final. Never in the audit trail."),
  argumentNames: z.array(z.string()),
  argumentsSha256: z.string().describe("SHA-256 of the canonical arguments: the approval covers only a call with exactly these."),
  rule: z.string().nullable(),
  reason: z.string().nullable().describe("The rule's own reason, when it gives one."),
  createdAt: z.iso.datetime(),
  waitingUntil: z.iso.datetime().nullable().describe("Until when the agent's client waits on the held call; null when none waits (a retry picks up the decision)."),
  expiresAt: z.iso.datetime(),
  decidedAt: z.iso.datetime().nullable(),
  decidedBy: z.string().nullable(),
  note: z.string().nullable(),
  usedAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable().describe("When it became final: used, rejected, expired or withdrawn."),
});

export const listApprovalsQuerySchema = z.strictObject({
  state: z
    .enum(["pending", "decided"], { error: 'Use state=pending (waiting for a decision) or state=decided (the rest).' })
    .default("pending")
    .describe("pending (oldest first) or decided (newest first)."),
  limit: z.coerce
    .number({ error: "limit must be a number." })
    .int("limit must be a whole number.")
    .min(1, "limit must be at least 1.")
    .max(200, "limit must be at most 200.")
    .default(50),
});

export const listApprovalsResponseSchema = z.object({
  approvals: z.array(approvalSchema),
  pendingCount: z.number().int().describe("How many calls wait for a decision in the workspace."),
});

export const approvalIdParamsSchema = z.strictObject({ id: z.uuid({ error: "The approval id must be a UUID." }) });

export const decideApprovalBodySchema = z.strictObject({
  decision: z.enum(["approve", "reject"], { error: 'Choose "approve" or "reject".' }),
  note: z.string({ error: "The note must be text." }).max(1000, "Use at most 1000 characters for the note.").optional(),
});

export const approvalWebhookSchema = z.object({
  configured: z.boolean(),
  origin: z.string().nullable().describe("The webhook's origin. The full URL is never shown again: it often carries a secret."),
});

export const approvalWebhookTestSchema = z.object({
  delivered: z.boolean(),
  detail: z.string().describe("What the webhook answered, or why it could not be reached (never the URL)."),
});

export const setApprovalWebhookBodySchema = z.strictObject({
  url: z
    .string({ error: "Enter the webhook URL, or null to remove it." })
    .trim()
    .min(1, "Enter the webhook URL, or send null to remove it.")
    .max(2000, "Use a URL of at most 2000 characters.")
    .nullable(),
});
