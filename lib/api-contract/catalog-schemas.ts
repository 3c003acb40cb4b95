import { z } from "zod";
import { riskCategorySchema, riskLevelSchema } from "@/lib/api-contract/server-schemas";
import { BROAD_SEARCH_MATCHES } from "@/lib/catalog/limits";
import { RISK_CATEGORIES, RISK_LEVELS } from "@/lib/risk/types";

// API schemas for the public catalog: real MCP servers and their tools with their risk, searchable, no sign-in.
// Everything a server's authors wrote (titles, descriptions, schemas) is untrusted text, returned as JSON strings.

export const CATALOG_PAGE_SIZE = 20;
export const CATALOG_MAX_PAGE_SIZE = 100;
/** Pages beyond this are reached with `cursor`, which costs the same on any page. */
export const CATALOG_MAX_PAGE = 500;

const TRANSPORTS = ["stdio", "streamable-http", "sse"] as const;
const SORTS = ["relevance", "name", "risk", "server", "tools"] as const;

/** "high,critical" as a list of values, each passing `accepts`. */
function listOf<T extends string>(name: string, accepts: (value: string) => value is T, hint: string) {
  return z
    .string()
    .max(500, `${name} is too long.`)
    .transform((value, ctx) => {
      const values = [...new Set(value.split(",").map((v) => v.trim()).filter(Boolean))];
      const wrong = values.filter((v) => !accepts(v));
      if (wrong.length > 0 || values.length === 0) {
        ctx.addIssue({ code: "custom", message: `${wrong.length ? `Unknown ${name} ${wrong.map((w) => JSON.stringify(w)).join(", ")}` : `Give a ${name}`}: ${hint}.` });
        return z.NEVER;
      }
      return values as T[];
    });
}

const oneOf =
  <T extends string>(allowed: readonly T[]) =>
  (value: string): value is T =>
    (allowed as readonly string[]).includes(value);
const REGISTRY_TYPE = /^[a-z0-9][a-z0-9-]{0,31}$/;
const isRegistryType = (value: string): value is string => REGISTRY_TYPE.test(value);
const choose = (allowed: readonly string[]) => `use one or several of ${allowed.join(", ")}, comma-separated`;

export const catalogSearchQuerySchema = z
  .strictObject({
    q: z.string().max(200, "Search for at most 200 characters.").optional().describe("Words to find in names, titles, descriptions and argument names. Misspellings are corrected (filesytem finds filesystem)."),
    type: z.enum(["tools", "servers"]).default("tools").describe("What to list: tools (each with its server) or servers."),
    level: listOf("level", oneOf(RISK_LEVELS), choose(RISK_LEVELS)).optional().describe(`Risk levels, comma-separated (${RISK_LEVELS.join(", ")}). For servers: the level of their riskiest tool.`),
    category: listOf("category", oneOf(RISK_CATEGORIES), choose(RISK_CATEGORIES)).optional().describe(`Categories, comma-separated (${RISK_CATEGORIES.join(", ")}). For servers: having a tool in one of them.`),
    transport: listOf("transport", oneOf(TRANSPORTS), choose(TRANSPORTS)).optional().describe(`How the server runs: ${TRANSPORTS.join(", ")}, comma-separated.`),
    registryType: listOf("registryType", isRegistryType, "use package registries such as npm, pypi, oci, comma-separated").optional().describe("Package registries, comma-separated: npm, pypi, oci, nuget, mcpb..."),
    sort: z.enum(SORTS).optional().describe("relevance (the default with q), name, risk (riskiest first; the default for tools without q), server (tools only) or tools (servers only: most tools first). Servers without q are sorted by name."),
    page: z.coerce
      .number({ error: `page must be a whole number from 1 to ${CATALOG_MAX_PAGE}.` })
      .int(`page must be a whole number from 1 to ${CATALOG_MAX_PAGE}.`)
      .min(1, `page must be a whole number from 1 to ${CATALOG_MAX_PAGE}.`)
      .max(CATALOG_MAX_PAGE, `Pages past ${CATALOG_MAX_PAGE} are reached with cursor.`)
      .optional()
      .describe("The page of results, from 1. Or use cursor."),
    cursor: z.string().max(2_000).optional().describe("A response's nextCursor, for the page after it (keeps its place however far)."),
    limit: z.coerce
      .number({ error: `limit must be a whole number from 1 to ${CATALOG_MAX_PAGE_SIZE}.` })
      .int(`limit must be a whole number from 1 to ${CATALOG_MAX_PAGE_SIZE}.`)
      .min(1, `limit must be a whole number from 1 to ${CATALOG_MAX_PAGE_SIZE}.`)
      .max(CATALOG_MAX_PAGE_SIZE, `limit must be a whole number from 1 to ${CATALOG_MAX_PAGE_SIZE}.`)
      .default(CATALOG_PAGE_SIZE),
  })
  .refine((query) => !(query.page && query.cursor), { message: "Give page or cursor, not both.", path: ["cursor"] });

const facetSchema = z.record(z.string(), z.number().int());
const levelCountsSchema = z.object({ low: z.number().int(), medium: z.number().int(), high: z.number().int(), critical: z.number().int() });
const issueSchema = z.object({ path: z.string(), reason: z.string() }).describe("Something loading refused or cleaned in the entry, and why.");
const statusSchema = z.enum(["active", "deprecated", "deleted"]).describe("The registry's lifecycle status.");

const toolHitSchema = z.object({
  name: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable().describe("Its first 500 characters; the tool's own endpoint has all of it."),
  level: riskLevelSchema,
  category: riskCategorySchema,
  argumentNames: z.array(z.string()),
  server: z.object({ name: z.string(), title: z.string().nullable(), status: z.string(), transports: z.array(z.string()), registryTypes: z.array(z.string()) }),
});

const serverHitSchema = z.object({
  name: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable().describe("Its first 500 characters."),
  version: z.string().nullable(),
  status: z.string(),
  transports: z.array(z.string()),
  registryTypes: z.array(z.string()),
  listed: z.boolean().describe("false: imported from a registry, tools not listed yet."),
  listedAt: z.iso.datetime().nullable(),
  toolCount: z.number().int(),
  maxLevel: riskLevelSchema.nullable(),
  toolCountsByLevel: levelCountsSchema,
});

export const catalogSearchResponseSchema = z.object({
  type: z.enum(["tools", "servers"]),
  q: z.string().nullable(),
  corrections: z
    .array(z.object({ term: z.string(), alternatives: z.array(z.string()) }))
    .describe("Words of q found in no name, and the close words they were also matched with."),
  sort: z.enum(SORTS),
  total: z.number().int().describe("Results matching q and every filter."),
  page: z.number().int().nullable(),
  limit: z.number().int(),
  nextCursor: z.string().nullable(),
  facets: z
    .object({ level: facetSchema, category: facetSchema, transport: facetSchema, registryType: facetSchema })
    .describe("For each filter, how many results each value would give with q and the other filters: choosing it replaces that filter's own values."),
  countsAreLowerBounds: z
    .boolean()
    .describe(
      `true when q matches more than ${BROAD_SEARCH_MATCHES.toLocaleString("en-US")} tools or servers (a word in most of the catalog): only that many are read, so total and facets are at-least counts, and results are in name order (sort=relevance) or the sort's, not ranked. Add a word or a filter for exact counts and relevance.`,
    ),
  results: z.array(z.union([toolHitSchema, serverHitSchema])),
});

export const catalogServerParamsSchema = z.strictObject({
  name: z.string().min(1).max(200).describe("The registry name, URL-encoded (io.github.owner%2Fserver)."),
});

export const catalogToolParamsSchema = z.strictObject({
  name: z.string().min(1).max(200).describe("The server's registry name, URL-encoded."),
  tool: z.string().min(1).max(200).describe("The tool's name, URL-encoded."),
});

const serverViewSchema = z.object({
  name: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  version: z.string().nullable(),
  repositoryUrl: z.string().nullable(),
  websiteUrl: z.string().nullable(),
  packages: z.array(z.record(z.string(), z.unknown())).describe("server.json's packages[] (registryType, identifier, version, transport, environmentVariables, packageArguments)."),
  remotes: z.array(z.record(z.string(), z.unknown())).describe("server.json's remotes[] (type, url)."),
  transports: z.array(z.string()),
  registryTypes: z.array(z.string()),
  status: statusSchema,
  statusMessage: z.string().nullable(),
  source: z.enum(["snapshot", "registry"]).describe("snapshot: listed by our crawler and shipped with Portcullis; registry: imported, tools not listed yet."),
  registryUrl: z.string().nullable(),
  listing: z
    .object({ listedAt: z.iso.datetime().nullable(), toolsSha256: z.string(), via: z.record(z.string(), z.unknown()).nullable() })
    .nullable()
    .describe("How and when the tools were listed; null: tools not listed yet."),
  toolCount: z.number().int(),
  maxLevel: riskLevelSchema.nullable(),
  issues: z.array(issueSchema),
  updatedAt: z.iso.datetime(),
});

export const catalogServerSchema = serverViewSchema.extend({
  toolCountsByLevel: levelCountsSchema,
  tools: z.array(
    z.object({
      name: z.string(),
      title: z.string().nullable(),
      description: z.string().nullable(),
      level: riskLevelSchema,
      category: riskCategorySchema,
      reasons: z.array(z.string()),
      argumentNames: z.array(z.string()),
      annotations: z.record(z.string(), z.unknown()).nullable(),
      issues: z.array(issueSchema),
    }),
  ),
});

export const catalogToolSchema = z.object({
  name: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable().describe("Untrusted: written by the server's authors and read by models as instructions."),
  inputSchema: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()).nullable(),
  annotations: z.record(z.string(), z.unknown()).nullable(),
  argumentNames: z.array(z.string()),
  definitionSha256: z
    .string()
    .describe("SHA-256 of the canonical JSON of the definition as listed, over name, title, description, inputSchema, outputSchema and annotations: GET /api/v1/servers/{id}/catalog-match compares a registered server's tools with it."),
  level: riskLevelSchema,
  category: riskCategorySchema,
  reasons: z.array(z.string()).describe("Why the classifier gave this level and category."),
  classifierVersion: z.number().int(),
  reclassification: z
    .object({
      before: z.object({ level: riskLevelSchema, category: riskCategorySchema, classifierVersion: z.number().int() }),
      after: z.object({ level: riskLevelSchema, category: riskCategorySchema, classifierVersion: z.number().int() }),
      classifierRelease: z.string().describe("The release name of the classifier that moved it, such as 2026.12."),
      changedAt: z.iso.datetime(),
    })
    .nullable()
    .describe("The newest change of level or category a new classifier made to this definition; null when none did."),
  issues: z.array(issueSchema),
  recommendation: z.object({
    rule: z.record(z.string(), z.unknown()).describe("The rule for this tool, in the policy language (docs/policy-language.md)."),
    policy: z.record(z.string(), z.unknown()).describe("A whole policy holding the rule, every other tool denied."),
    explanation: z.array(z.string()),
  }),
  server: serverViewSchema,
  otherTools: z.array(z.object({ name: z.string(), level: riskLevelSchema, category: riskCategorySchema })),
  similarTools: z
    .array(z.object({ name: z.string(), sameName: z.boolean(), level: riskLevelSchema, category: riskCategorySchema, server: z.object({ name: z.string(), title: z.string().nullable() }) }))
    .describe("Tools of other servers with the same name or a close one."),
});

export const serverCatalogMatchSchema = z.object({
  match: z
    .object({
      catalogServer: z.object({
        name: z.string(),
        title: z.string().nullable(),
        version: z.string().nullable(),
        listedAt: z.iso.datetime().nullable(),
        toolCount: z.number().int(),
      }),
      basis: z
        .enum(["server-info", "tool-names"])
        .describe("server-info: both report the same serverInfo name at initialize (and share a tool); tool-names: more than half of each side's tool names are shared."),
      serverInfoName: z.string().nullable(),
      tools: z.object({
        same: z.number().int().describe("Tools both list with the same definition."),
        onlyInCatalog: z.array(z.object({ name: z.string(), level: riskLevelSchema })),
        onlyLive: z.array(z.object({ id: z.uuid(), name: z.string() })),
        changed: z
          .array(z.object({ id: z.uuid(), name: z.string(), level: riskLevelSchema.describe("The catalog's level for its definition.") }))
          .describe("Tools both list whose definitions differ (name, title, description, inputSchema, outputSchema and annotations are compared)."),
      }),
    })
    .nullable()
    .describe("The catalog entry this server is, or null when none matches."),
});
