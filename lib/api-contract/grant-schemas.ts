import { z } from "zod";

// API schemas for grants: one key per agent or client, limited to the servers it names.

export const grantSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  keyPrefix: z.string().describe("The first characters of the key, to tell keys apart."),
  serverIds: z.array(z.uuid()),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});

export const createGrantBodySchema = z.strictObject({
  name: z
    .string({ error: "Give the key a name, such as the agent or client that will use it." })
    .trim()
    .min(1, "Give the key a name, such as the agent or client that will use it.")
    .max(100, "Use at most 100 characters for the name."),
  serverIds: z
    .array(z.uuid({ error: "Each server id must be a UUID." }), { error: "List the servers this key may reach." })
    .min(1, "Choose at least one server this key may reach.")
    .max(100, "A key may reach at most 100 servers."),
});

export const createdGrantSchema = z.object({
  grant: grantSchema,
  key: z.string().describe("The key itself (pcg_...). It is shown only in this response: store it now."),
});

export const grantIdParamsSchema = z.strictObject({ id: z.uuid({ error: "The grant id must be a UUID." }) });
