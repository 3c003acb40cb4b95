import { z } from "zod";

// API schemas for server policies: immutable versions, the newest enforced.

const issueSchema = z.object({ path: z.string(), code: z.string(), message: z.string(), line: z.number().int(), column: z.number().int() });

export const policyVersionSummarySchema = z.object({
  version: z.number().int(),
  message: z.string(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
});

export const policyVersionSchema = policyVersionSummarySchema.extend({
  text: z.string().describe("The policy as it was saved (JSON text)."),
  document: z.record(z.string(), z.unknown()),
});

export const policyStateSchema = z.object({
  active: policyVersionSchema.nullable().describe("The newest version: what the gateway enforces. Null until a first save."),
  warnings: z.array(issueSchema).describe("Parts of the active policy that do nothing, given the server's tools."),
});

export const savePolicyBodySchema = z.strictObject({
  text: z
    .string({ error: "Send the policy as JSON text in `text`." })
    .min(2, "The policy is empty.")
    .max(512 * 1024, "A policy has at most 512 KiB of text."),
  message: z.string().trim().min(1, "Say what this version changes, in a few words.").max(500, "Use at most 500 characters."),
  basedOn: z
    .number()
    .int()
    .min(0)
    .nullable()
    .optional()
    .describe("The version the edit started from (0 or null for none). A save is refused when a newer version exists, so nobody's work is overwritten."),
});

export const saveResultSchema = z.object({
  saved: policyVersionSchema,
  warnings: z.array(issueSchema),
  tests: z.object({ passed: z.number().int(), failed: z.number().int() }),
});

export const versionParamsSchema = z.strictObject({
  id: z.uuid({ error: "The server id must be a UUID." }),
  version: z.coerce.number({ error: "The version must be a number." }).int().min(1, "Versions start at 1."),
});

export const simulateBodySchema = z.strictObject({
  tool: z.string().min(1, "Choose a tool.").max(256),
  args: z.record(z.string(), z.unknown()).default({}),
  text: z.string().max(512 * 1024).optional().describe("A policy to try instead of the active one (unsaved edits)."),
  grant: z
    .uuid({ error: "The grant id must be a UUID: choose a grant of this workspace." })
    .optional()
    .describe(
      "An active grant of the workspace that reaches this server: counters per grant show its real usage. Without one, they are for a hypothetical grant with no calls yet.",
    ),
});

export const simulateResultSchema = z.object({
  decision: z.enum(["allow", "deny", "require_approval", "rate_limited"]),
  code: z.string(),
  matchedRule: z.string().nullable(),
  reason: z.string(),
  violations: z.array(z.object({ arg: z.string(), path: z.string(), keyword: z.string(), message: z.string() })),
  counters: z.array(
    z.object({
      counter: z.string(),
      window: z.string(),
      max: z.number(),
      scope: z.string(),
      used: z.number().describe("Calls already counted in the current window (0 for a hypothetical grant). Simulating counts nothing."),
      windowEnd: z.iso.datetime().describe("When the current window ends and the counter starts again from 0."),
    }),
  ),
  policyVersion: z.number().int().nullable().describe("The version simulated; null for unsaved text."),
  usageNote: z.string().nullable().describe("Where the counters' usage comes from; null when no limit applies."),
});
