import { z } from "zod";
import { RISK_CATEGORIES, RISK_LEVELS } from "@/lib/risk/types";

// API schemas for servers, their tools and the changes re-syncs find.

export const transportSchema = z.enum(["auto", "streamable_http", "sse"]);
export const riskCategorySchema = z.enum(RISK_CATEGORIES);
export const riskLevelSchema = z.enum(RISK_LEVELS);

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const FORBIDDEN_HEADERS = new Set(["host", "content-length", "content-type", "connection", "transfer-encoding", "accept", "mcp-session-id", "mcp-protocol-version"]);

const headersSchema = z
  .record(
    z
      .string()
      .regex(HEADER_NAME, "A header name uses letters, digits and - only.")
      .refine((name) => !FORBIDDEN_HEADERS.has(name.toLowerCase()), "Portcullis sets this header itself; choose another."),
    z.string().max(8192, "A header value has at most 8192 characters.").regex(/^[^\r\n]*$/, "A header value cannot contain line breaks."),
  )
  .refine((headers) => Object.keys(headers).length >= 1, "Add at least one header.")
  .refine((headers) => Object.keys(headers).length <= 20, "At most 20 headers.");

/**
 * A key named __proto__ is an own property of what JSON.parse gives, but the record built from it by assignment would
 * drop it without a word (the upstream would never get that header): refused here, where the user can be told.
 */
function refuseProtoKey(value: unknown, ctx: z.core.$RefinementCtx): unknown {
  if (typeof value === "object" && value !== null && Object.hasOwn(value, "__proto__")) {
    ctx.addIssue({ code: "custom", message: "A header cannot be named __proto__.", path: ["__proto__"], input: value });
  }
  return value;
}

export const credentialsInputSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("bearer"),
    token: z.string().trim().min(1, "Enter the token the server expects.").max(8192, "A token has at most 8192 characters."),
  }),
  z.strictObject({
    type: z.literal("headers"),
    headers: z.preprocess(refuseProtoKey, headersSchema),
  }),
]);

export const serverNameSchema = z
  .string({ error: "Give the server a name." })
  .trim()
  .min(1, "Give the server a name, such as github or payments.")
  .max(80, "Use at most 80 characters for the name.");

export const createServerBodySchema = z.strictObject({
  name: serverNameSchema,
  url: z
    .string({ error: "Enter the server's URL." })
    .trim()
    .max(2048, "A URL has at most 2048 characters.")
    .pipe(z.url({ protocol: /^https?$/, error: "Enter an http:// or https:// URL, such as https://mcp.example.com/mcp." })),
  transport: transportSchema.default("auto"),
  credentials: credentialsInputSchema.nullable().optional(),
});

export const updateServerBodySchema = z.strictObject({
  name: serverNameSchema.optional(),
  credentials: credentialsInputSchema.nullable().optional().describe("New credentials, or null to remove them. Omit to keep them."),
  syncIntervalMinutes: z.number().int().min(5, "Re-sync at most every 5 minutes.").max(10_080, "Re-sync at least once a week.").optional(),
});

export const syncErrorSchema = z.object({ code: z.string(), message: z.string() });

export const levelCountsSchema = z.object({ low: z.number(), medium: z.number(), high: z.number(), critical: z.number() });

export const serverSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  url: z.string(),
  transport: transportSchema,
  detectedTransport: z.enum(["streamable_http", "sse"]).nullable(),
  credentials: z.object({
    type: z.enum(["none", "bearer", "headers"]),
    /** Never the values: only that they are set, and for headers their names. */
    headerNames: z.array(z.string()),
  }),
  serverInfo: z.object({ name: z.string().optional(), version: z.string().optional(), title: z.string().optional() }).nullable(),
  status: z.enum(["ok", "error"]),
  lastSyncAt: z.iso.datetime().nullable(),
  lastSyncError: syncErrorSchema.nullable(),
  syncIntervalMinutes: z.number().int(),
  nextSyncAt: z.iso.datetime().nullable(),
  toolCount: z.number().int(),
  toolCountsByLevel: levelCountsSchema,
  needsReviewCount: z.number().int(),
  createdAt: z.iso.datetime(),
});

export const toolSummarySchema = z.object({
  id: z.uuid(),
  serverId: z.uuid(),
  name: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  category: riskCategorySchema.describe("The effective category: the override when set, else the classifier's."),
  level: riskLevelSchema.describe("The effective level: the override when set, else the classifier's."),
  classifiedCategory: riskCategorySchema,
  classifiedLevel: riskLevelSchema,
  overridden: z.boolean(),
  annotations: z.record(z.string(), z.unknown()).nullable(),
  status: z.enum(["active", "needs_review", "removed"]),
});

/** A classification as a "reclassified" change keeps it. */
const classificationSchema = z.object({ category: riskCategorySchema, level: riskLevelSchema, classifierVersion: z.number().int() });

export const toolDetailSchema = toolSummarySchema.extend({
  reasons: z.array(z.string()),
  classifierVersion: z.number().int().describe("The classifier version (lib/risk/version.ts) that gave the classified level, category and reasons."),
  reclassification: z
    .object({
      changeId: z.uuid(),
      detectedAt: z.iso.datetime(),
      before: classificationSchema,
      after: classificationSchema,
      classifierRelease: z.string().describe("The release name of the classifier that moved it, such as 2026.12."),
      overrideApplies: z.boolean().describe("A person's override decides the effective level or category, as before."),
      recommendationChange: z
        .object({ before: z.record(z.string(), z.unknown()), after: z.record(z.string(), z.unknown()) })
        .nullable()
        .describe("The recommended rule the old classification gave and the one given now, when they differ. No policy is changed."),
    })
    .nullable()
    .describe("The newest change a new classifier made to the level or category, while it is still the stored classification."),
  inputSchema: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()).nullable(),
  override: z
    .object({ category: riskCategorySchema.nullable(), level: riskLevelSchema.nullable(), note: z.string(), at: z.iso.datetime(), by: z.string() })
    .nullable(),
  recommendedRule: z.record(z.string(), z.unknown()),
  recommendedPolicy: z.record(z.string(), z.unknown()),
  pendingChange: z
    .object({ changeId: z.uuid(), before: z.record(z.string(), z.unknown()), after: z.record(z.string(), z.unknown()), detectedAt: z.iso.datetime() })
    .nullable(),
  server: z.object({ id: z.uuid(), name: z.string() }),
});

export const listToolsQuerySchema = z.strictObject({
  q: z.string().max(200).optional(),
  level: riskLevelSchema.optional(),
  category: riskCategorySchema.optional(),
  status: z.enum(["active", "needs_review", "removed"]).optional(),
  sort: z.enum(["name", "-name", "level", "-level", "category", "-category"]).default("-level"),
});

export const overrideToolBodySchema = z.strictObject({
  override: z
    .strictObject({
      level: riskLevelSchema.nullable().optional(),
      category: riskCategorySchema.nullable().optional(),
      note: z.string().trim().min(1, "Say why you are overriding the classification.").max(500, "Use at most 500 characters."),
    })
    .refine((o) => o.level || o.category, "Choose a level, a category or both.")
    .nullable()
    .describe("The override, or null to go back to the classifier's result."),
});

export const toolChangeSchema = z.object({
  id: z.uuid(),
  toolName: z.string(),
  kind: z
    .enum(["added", "changed", "removed", "reclassified"])
    .describe("added, changed and removed come from re-syncs; reclassified, from a new classifier (nothing to review)."),
  before: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe("The definition before; for reclassified, the classification: { category, level, classifierVersion }."),
  after: z.record(z.string(), z.unknown()).nullable().describe("The definition after; for reclassified, the classification."),
  detectedAt: z.iso.datetime(),
  reviewedAt: z.iso.datetime().nullable(),
  reviewedBy: z.string().nullable(),
});

export const syncResultSchema = z.object({
  outcome: z.enum(["synced", "failed"]),
  error: syncErrorSchema.nullable(),
  added: z.array(z.string()),
  changed: z.array(z.string()),
  removed: z.array(z.string()),
  server: serverSchema,
});

export const serverIdParamsSchema = z.strictObject({ id: z.uuid({ error: "The server id must be a UUID." }) });
export const toolIdParamsSchema = z.strictObject({ id: z.uuid({ error: "The tool id must be a UUID." }) });
