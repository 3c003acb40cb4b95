import { z } from "zod";
import { formatJsonPath } from "@/lib/json/storable-text";

// One entry of catalog/sources.json: a server in the official MCP Registry's server.json terms, plus our `crawl`
// block saying how to start it for listing (placeholder values; "{SANDBOX}" is a temporary folder). The format is
// shared with the catalog loader: /work/helper-notes/catalog-format.md, and the README's Catalog section.

/** The registry's rule for server names: reverse-DNS namespace, one slash, a name. */
export const SERVER_NAME_PATTERN = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;

const input = {
  description: z.string().optional(),
  isRequired: z.boolean().optional(),
  isSecret: z.boolean().optional(),
  format: z.enum(["string", "number", "boolean", "filepath"]).optional(),
  default: z.string().optional(),
  value: z.string().optional(),
  placeholder: z.string().optional(),
  choices: z.array(z.string()).optional(),
};

const argument = z.union([
  z.strictObject({ type: z.literal("positional"), valueHint: z.string().optional(), isRepeated: z.boolean().optional(), ...input }),
  z.strictObject({ type: z.literal("named"), name: z.string().min(1), isRepeated: z.boolean().optional(), ...input }),
]);

const environmentVariable = z.strictObject({ name: z.string().min(1), ...input });

export const catalogSourceSchema = z
  .strictObject({
    name: z.string().min(3).max(200).regex(SERVER_NAME_PATTERN, "a reverse-DNS name with one slash, such as io.github.owner/repo"),
    title: z.string().min(1).max(100).optional(),
    description: z.string().min(1).max(100),
    websiteUrl: z.url().optional(),
    repository: z.strictObject({ url: z.url(), source: z.string().min(1), subfolder: z.string().optional() }).optional(),
    package: z
      .strictObject({
        registryType: z.literal("npm"),
        identifier: z.string().min(1),
        version: z.string().regex(/^\d+\.\d+\.\d+([-+][\w.-]+)?$/, "an exact version such as 1.2.3 (no ranges, not latest)"),
        transport: z.strictObject({ type: z.literal("stdio") }),
        runtimeHint: z.string().optional(),
        packageArguments: z.array(argument).optional(),
        environmentVariables: z.array(environmentVariable).optional(),
      })
      .optional(),
    remote: z.strictObject({ type: z.literal("streamable-http"), url: z.url() }).optional(),
    /** Only for remotes: the server's version when the registry knows it. */
    version: z.string().min(1).max(255).optional(),
    crawl: z
      .strictObject({
        args: z.array(z.string()).optional(),
        env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name"), z.string()).optional(),
        /** A service the server waits for before it lists its tools, started inside the same network namespace. */
        needs: z.literal("redis").optional(),
        /** Which of the package's commands to run, when it has several. */
        bin: z.string().min(1).optional(),
      })
      .optional(),
  })
  .refine((source) => (source.package === undefined) !== (source.remote === undefined), "give either a package or a remote, not both");

export type CatalogSource = z.infer<typeof catalogSourceSchema>;

/** Parses sources.json's text, or throws one error listing every problem at its place. */
export function parseCatalogSources(text: string): CatalogSource[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`catalog/sources.json is not JSON: ${(error as Error).message}`);
  }
  const result = z.array(catalogSourceSchema).safeParse(data);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${formatJsonPath(issue.path as (string | number)[])}: ${issue.message}`);
    throw new Error(`catalog/sources.json has errors:\n${lines.join("\n")}`);
  }
  const seen = new Set<string>();
  for (const source of result.data) {
    if (seen.has(source.name)) throw new Error(`catalog/sources.json names ${source.name} twice.`);
    seen.add(source.name);
  }
  return result.data;
}
