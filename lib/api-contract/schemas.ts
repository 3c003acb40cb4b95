import { z } from "zod";
import { PASSWORD_MAX_LENGTH, passwordProblem } from "@/lib/auth/password-policy";

// Shared API schemas. Objects are strict: an unknown field is an error, never silently ignored.

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .max(254, "An email address has at most 254 characters.")
  .pipe(z.email({ error: "Enter a valid email address, like name@example.com." }));

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
});

export const workspaceSchema = z.object({ id: z.uuid(), name: z.string() });

export const signUpBodySchema = z
  .strictObject({
    email: emailSchema,
    password: z
      .string({ error: "Enter a password." })
      // The policy (lib/auth/password-policy.ts) gives the precise message; this only caps what is hashed.
      .max(PASSWORD_MAX_LENGTH * 4, `Use at most ${PASSWORD_MAX_LENGTH} characters.`),
    name: z.string().trim().max(100, "Use at most 100 characters for your name.").optional(),
  })
  // When another field is already wrong, the password's problem is reported with it rather than after the next try.
  // Alone, a weak password is refused by signUp itself (code weak_password), which also checks it against the email.
  .refine((body) => passwordProblem(body.password) === null, {
    path: ["password"],
    error: (issue) => passwordProblem((issue.input as { password: string }).password) ?? "Choose another password.",
    when: (payload) =>
      payload.issues.length > 0 &&
      payload.issues.every((i) => i.path?.[0] !== "password") &&
      typeof (payload.value as { password?: unknown } | null)?.password === "string",
  });

export const signUpResponseSchema = z.object({ user: userSchema, workspace: workspaceSchema });

export const meResponseSchema = z.object({
  user: userSchema,
  workspace: workspaceSchema,
  authenticatedWith: z.enum(["session", "token"]),
});

export const signOutEverywhereResponseSchema = z.object({
  endedSessions: z.number().int().describe("Sessions that were live and are now ended, this one included."),
});

export const tokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string().describe("The first characters of the token, to tell tokens apart."),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});

export const createdTokenSchema = tokenSchema.extend({
  token: z.string().describe("The token itself. It is shown only in this response: store it now."),
});

export const createTokenBodySchema = z.strictObject({
  name: z
    .string({ error: "Give the token a name." })
    .trim()
    .min(1, "Give the token a name, such as the script or machine that will use it.")
    .max(100, "Use at most 100 characters for the name."),
  expiresInDays: z
    .number({ error: "expiresInDays must be a whole number of days." })
    .int("expiresInDays must be a whole number of days.")
    .min(1, "A token must live at least 1 day.")
    .max(3650, "A token can live at most 3650 days (10 years).")
    .nullable()
    .optional()
    .describe("Days until the token expires; omit or null for a token that does not expire."),
});

export const tokenIdParamsSchema = z.strictObject({ id: z.uuid({ error: "The token id must be a UUID." }) });

export const healthResponseSchema = z.object({
  status: z.enum(["ok", "unavailable"]),
  database: z.object({
    status: z.enum(["up", "down"]),
    latencyMs: z.number().optional(),
    error: z.string().optional(),
  }),
  version: z.string(),
});

export const readinessResponseSchema = z.object({
  status: z.enum(["ready", "not_ready"]),
  database: healthResponseSchema.shape.database,
  migrations: z
    .object({
      status: z.enum(["applied", "pending", "unknown"]),
      count: z.number().int().optional(),
      missing: z.array(z.string()).optional().describe("Migrations this build ships that the database has not applied."),
      error: z.string().optional(),
    })
    .optional(),
  version: z.string(),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  requestId: z.string(),
  errors: z
    .array(z.object({ path: z.string(), message: z.string(), line: z.number().int().optional(), column: z.number().int().optional() }))
    .optional(),
});
