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
  oauthClientId: z
    .string()
    .nullable()
    .describe("The OAuth client this grant was made for on the consent page; its key was never shown, so only that client's tokens use it. Null for a grant created with a key."),
  oauthClients: z
    .array(
      z.object({
        clientId: z.string().describe("The OAuth client id: a client id metadata document's URL, or the id Portcullis gave a client that registered itself."),
        name: z.string(),
        domain: z.string().describe("The verified domain of a metadata-document client, else where its first redirect URI goes."),
        registered: z.boolean().describe("The client registered itself (RFC 7591): its name is unverified."),
        lastTokenAt: z.iso.datetime().nullable().describe("When it last got a token for this grant (a sign-in or a refresh)."),
      }),
    )
    .describe("OAuth clients that signed in with this grant on the consent page. Revoking the grant stops their tokens at once."),
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
