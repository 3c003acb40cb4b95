import type { CatalogSource } from "@/lib/catalog/crawl/catalog-source";
import { stableJson, type KeyShape } from "@/lib/catalog/crawl/stable-json";
import { toolsSha256 } from "@/lib/catalog/crawl/tools-digest";

// catalog/servers/<name>.json: the server's official-registry server.json with our listing under
// _meta["portcullis/listing"]. Pure: the same source, tools and listing details give the same bytes.

export const SERVER_JSON_SCHEMA = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json";
export const LISTING_META_KEY = "portcullis/listing";

export interface ListingVia {
  transport: "stdio" | "streamable-http";
  /** npm:<identifier>@<installed version>, for packages. */
  package?: string;
  /** The URL listed, for remotes. */
  url?: string;
  node: string;
  sdk: string;
  isolation: string;
  serverInfo: { name?: string; version?: string } | null;
  protocolVersion: string | null;
}

export interface ListedServer {
  /** Tools as cleaned and sorted by cleanListing. */
  tools: Record<string, unknown>[];
  notes: string[];
  listedAt: Date;
  /** The package version actually installed (npm may pick another than asked), or the remote's version. */
  version: string;
  via: ListingVia;
}

const TOOL: KeyShape = { first: ["name", "title", "description", "inputSchema", "outputSchema", "annotations"] };
const INPUT: KeyShape = { first: ["name", "type", "description", "isRequired", "isSecret", "format", "default", "value", "valueHint"] };
export const SERVER_FILE_SHAPE: KeyShape = {
  first: ["$schema", "name", "title", "description", "version", "websiteUrl", "repository", "packages", "remotes", "_meta"],
  children: {
    repository: { first: ["url", "source", "subfolder"] },
    packages: {
      first: ["registryType", "identifier", "version", "runtimeHint", "transport", "packageArguments", "environmentVariables"],
      children: { packageArguments: INPUT, environmentVariables: INPUT },
    },
    remotes: { first: ["type", "url"] },
    _meta: {
      children: {
        [LISTING_META_KEY]: {
          first: ["tools", "toolsSha256", "notes", "listedAt", "via"],
          children: {
            tools: TOOL,
            via: { first: ["transport", "package", "url", "node", "sdk", "isolation", "serverInfo", "protocolVersion"], children: { serverInfo: { first: ["name", "version"] } } },
          },
        },
      },
    },
  },
};

/** The file name of a server's entry: its name with "/" replaced by "__". */
export function serverFileName(name: string): string {
  return `${name.replaceAll("/", "__")}.json`;
}

export function buildServerJson(source: CatalogSource, listed: ListedServer): Record<string, unknown> {
  const listing = {
    tools: listed.tools,
    toolsSha256: toolsSha256(listed.tools),
    ...(listed.notes.length > 0 ? { notes: listed.notes } : {}),
    listedAt: listed.listedAt.toISOString(),
    via: listed.via,
  };
  return {
    $schema: SERVER_JSON_SCHEMA,
    name: source.name,
    title: source.title,
    description: source.description,
    version: listed.version,
    websiteUrl: source.websiteUrl,
    repository: source.repository,
    ...(source.package
      ? { packages: [{ ...source.package, version: listed.version }] }
      : { remotes: [{ type: source.remote!.type, url: source.remote!.url }] }),
    _meta: { [LISTING_META_KEY]: listing },
  };
}

/** The file's text: stable key order, 2-space indentation, trailing newline. */
export function serverFileText(source: CatalogSource, listed: ListedServer): string {
  return stableJson(buildServerJson(source, listed), SERVER_FILE_SHAPE);
}
