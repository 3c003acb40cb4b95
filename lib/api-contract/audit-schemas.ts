import { z } from "zod";
import { decodeAuditCursor } from "@/lib/audit/audit-cursor";
import { AUDIT_DECISIONS, type AuditDecision } from "@/lib/audit/decisions";

// API schemas for the audit trail: what the gateway decided for each request, newest first.

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_MAX_PAGE_SIZE = 200;

const DECISION_LIST = AUDIT_DECISIONS.join(", ");
const TIME_HINT = "Use an ISO 8601 time with its offset, such as 2026-11-26T09:30:00Z.";

const cursorSchema = (name: string) =>
  z
    .string()
    .transform((value, ctx) => {
      const position = decodeAuditCursor(value);
      if (!position) {
        ctx.addIssue({ code: "custom", message: `This ${name} is not one Portcullis gave out: copy it from a response, or leave it out.` });
        return z.NEVER;
      }
      return position;
    });

/** "deny,rate_limited" as a list of decisions. */
export const auditDecisionsParamSchema = z.string().transform((value, ctx) => {
  const decisions = [...new Set(value.split(",").map((d) => d.trim()))];
  const unknown = decisions.filter((d) => !(AUDIT_DECISIONS as readonly string[]).includes(d));
  if (unknown.length > 0) {
    ctx.addIssue({ code: "custom", message: `Unknown decision ${unknown.map((d) => `"${d}"`).join(", ")}: use one or several of ${DECISION_LIST}.` });
    return z.NEVER;
  }
  return decisions as AuditDecision[];
});

const timeSchema = z.iso.datetime({ offset: true, error: TIME_HINT }).transform((value) => new Date(value));

export const listAuditEventsQuerySchema = z
  .strictObject({
    serverId: z.uuid({ error: "The server id must be a UUID." }).optional().describe("Only calls to this server (a deleted server's id works too)."),
    grantId: z.uuid({ error: "The grant id must be a UUID." }).optional().describe("Only calls made with this grant's key."),
    tool: z
      .string()
      .trim()
      .min(1, "Enter a tool name, or leave tool out.")
      .max(200, "A tool name has at most 200 characters.")
      .optional()
      .describe("An exact tool name, or a pattern with * (get_* matches every tool whose name starts with get_)."),
    method: z
      .string()
      .trim()
      .min(1, "Enter a method, or leave method out.")
      .max(100, "A method has at most 100 characters.")
      .optional()
      .describe("Only requests with this JSON-RPC method (tools/call for tool calls, tools/list, initialize...), or GET or DELETE for those HTTP requests."),
    decision: auditDecisionsParamSchema.optional().describe(`One decision or several, comma-separated: ${DECISION_LIST}.`),
    from: timeSchema.optional().describe("Only calls at or after this time (ISO 8601)."),
    to: timeSchema.optional().describe("Only calls before this time (ISO 8601)."),
    limit: z.coerce
      .number({ error: `limit must be a whole number from 1 to ${AUDIT_MAX_PAGE_SIZE}.` })
      .int(`limit must be a whole number from 1 to ${AUDIT_MAX_PAGE_SIZE}.`)
      .min(1, `limit must be a whole number from 1 to ${AUDIT_MAX_PAGE_SIZE}.`)
      .max(AUDIT_MAX_PAGE_SIZE, `limit must be a whole number from 1 to ${AUDIT_MAX_PAGE_SIZE}.`)
      .default(AUDIT_PAGE_SIZE)
      .describe(`How many calls to return (default ${AUDIT_PAGE_SIZE}, at most ${AUDIT_MAX_PAGE_SIZE}).`),
    cursor: cursorSchema("cursor").optional().describe("A previous response's nextCursor: continue with older calls."),
    after: cursorSchema("after cursor")
      .optional()
      .describe("The cursor of the newest call you have: only newer calls are returned (for live updates)."),
  })
  .superRefine((query, ctx) => {
    if (query.from && query.to && query.from.getTime() >= query.to.getTime()) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "The end of the range must be after its start (from)." });
    }
  });

const reference = (what: string) =>
  z
    .object({
      id: z.uuid(),
      name: z.string().nullable().describe(`The ${what}'s name, or null when the ${what} has been deleted since.`),
    })
    .nullable();

export const auditEventSchema = z.object({
  id: z.uuid(),
  cursor: z.string().describe("This call's position: pass it as `after` to get only newer calls."),
  at: z.iso.datetime(),
  requestId: z.string(),
  server: reference("server").describe("The server called, when the request named one Portcullis knew."),
  grant: reference("grant").describe("The grant whose key made the call, when the key was valid."),
  method: z.string().nullable().describe("The JSON-RPC method (tools/call, tools/list, initialize...), or the HTTP method for GET and DELETE."),
  tool: z.string().nullable(),
  decision: z.enum(AUDIT_DECISIONS),
  code: z.string().nullable().describe("Why, as a stable code: denied_by_rule, rate_limited, argument_violation, upstream_unreachable..."),
  rule: z.string().nullable().describe("The policy rule that decided, or null for the default."),
  reason: z.string().nullable(),
  forwarded: z.boolean().describe("Sent to the upstream. The row is written before the call is forwarded; its status and timings follow the answer."),
  upstreamStatus: z
    .number()
    .int()
    .nullable()
    .describe("The upstream's HTTP status; null when the call was not forwarded, or (forwarded) while no answer is recorded."),
  gatewayMs: z.number().nullable(),
  upstreamMs: z.number().nullable(),
  argumentNames: z.array(z.string()).describe("The names of the call's arguments. Values are never recorded."),
  argumentsSha256: z.string().nullable().describe("SHA-256 of the arguments' canonical JSON, to match identical calls."),
});

export const listAuditEventsResponseSchema = z.object({
  events: z.array(auditEventSchema),
  nextCursor: z.string().nullable().describe("Pass it as `cursor` for the next, older page; null on the last page."),
});
