import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import type { CatalogSource } from "@/lib/catalog/crawl/catalog-source";
import { cleanListing } from "@/lib/catalog/crawl/clean-listing";
import { CrawlError } from "@/lib/catalog/crawl/crawl-error";
import type { CrawlOutcome } from "@/lib/catalog/crawl/crawl-report";
import { type InstalledPackage } from "@/lib/catalog/crawl/install-package";
import { isolationLabel, launchCommand, type Isolation } from "@/lib/catalog/crawl/launch-command";
import { listRemoteTools } from "@/lib/catalog/crawl/list-remote-tools";
import { listStdioTools } from "@/lib/catalog/crawl/list-stdio-tools";
import { fillPlaceholders } from "@/lib/catalog/crawl/placeholders";
import { serverFileText, type ListingVia } from "@/lib/catalog/crawl/server-file";
import type { UpstreamNetworks } from "@/lib/upstream/address-policy";

// Lists one source's tools and builds its catalog file: install the package into a fresh temporary folder, start
// it with placeholders filled in, list, stop, remove the folder. Nothing is thrown: a failure is an outcome with a
// reason, so one server never stops a run.

export interface CrawlSettings {
  /** Installs a package source into `prefix` (npm in a real run; tests hand in a local server script). */
  install: (source: CatalogSource & { package: NonNullable<CatalogSource["package"]> }, prefix: string) => Promise<InstalledPackage>;
  isolation: Isolation;
  networks: UpstreamNetworks;
  timeoutMs: number;
  /** Where temporary folders are made. */
  tmpDir: string;
  node: string;
  sdk: string;
  now?: () => Date;
}

export interface CrawlResult {
  outcome: CrawlOutcome;
  /** The server's catalog file text, when it was listed. */
  file?: string;
}

export async function crawlSource(source: CatalogSource, settings: CrawlSettings): Promise<CrawlResult> {
  const now = settings.now ?? (() => new Date());
  const started = performance.now();
  const at = now();
  const outcome = (fields: Partial<CrawlOutcome>): CrawlOutcome => ({ name: source.name, ok: false, ...fields, ms: Math.round(performance.now() - started), at: at.toISOString() });
  try {
    const listed = source.package ? await listPackage(source as Parameters<CrawlSettings["install"]>[0], settings) : await listRemote(source, settings);
    const cleaned = cleanListing(listed.tools);
    if (!cleaned.ok) return { outcome: outcome({ reason: cleaned.reason, version: listed.version }) };
    const file = serverFileText(source, { tools: cleaned.tools, notes: cleaned.notes, listedAt: now(), version: listed.version, via: listed.via });
    const notes = cleaned.notes.length > 0 ? { notes: cleaned.notes } : {};
    return { outcome: outcome({ ok: true, tools: cleaned.tools.length, version: listed.version, ...notes }), file };
  } catch (error) {
    const reason = error instanceof CrawlError ? error.message : `The crawler failed on this source: ${error instanceof Error ? error.message : String(error)}`;
    return { outcome: outcome({ reason }) };
  }
}

interface Listed {
  tools: unknown[];
  version: string;
  via: ListingVia;
}

async function listPackage(source: CatalogSource & { package: NonNullable<CatalogSource["package"]> }, settings: CrawlSettings): Promise<Listed> {
  const work = await mkdtemp(path.join(settings.tmpDir, "portcullis-crawl-"));
  try {
    const prefix = path.join(work, "package");
    const sandbox = path.join(work, "sandbox");
    await mkdir(prefix);
    await mkdir(path.join(sandbox, "tmp"), { recursive: true });
    const installed = await settings.install(source, prefix);
    const fill = (text: string) => fillPlaceholders(text, { SANDBOX: sandbox });
    let launch;
    try {
      launch = launchCommand({
        program: installed.program,
        args: (source.crawl?.args ?? []).map(fill),
        env: Object.fromEntries(Object.entries(source.crawl?.env ?? {}).map(([name, value]) => [name, fill(value)])),
        home: sandbox,
        binDirs: installed.binDirs,
        nodeDir: path.dirname(process.execPath),
        isolation: settings.isolation,
        needs: source.crawl?.needs,
      });
    } catch (error) {
      throw new CrawlError((error as Error).message);
    }
    const listing = await listStdioTools({ ...launch, cwd: sandbox }, { timeoutMs: settings.timeoutMs }).catch((error: unknown) => {
      // The folder's random name would make every report differ.
      throw error instanceof CrawlError ? new CrawlError(error.message.replaceAll(work, "<temporary folder>")) : error;
    });
    return {
      tools: listing.tools,
      version: installed.version,
      via: {
        transport: "stdio",
        package: `npm:${source.package.identifier}@${installed.version}`,
        node: settings.node,
        sdk: settings.sdk,
        isolation: isolationLabel(settings.isolation),
        serverInfo: listing.serverInfo,
        protocolVersion: listing.protocolVersion,
      },
    };
  } finally {
    await rm(work, { recursive: true, force: true, maxRetries: 3 });
  }
}

async function listRemote(source: CatalogSource, settings: CrawlSettings): Promise<Listed> {
  const url = source.remote!.url;
  const listing = await listRemoteTools(url, { networks: settings.networks, timeoutMs: settings.timeoutMs });
  return {
    tools: listing.tools,
    version: source.version ?? listing.serverInfo?.version ?? "0.0.0",
    via: {
      transport: "streamable-http",
      url,
      node: settings.node,
      sdk: settings.sdk,
      isolation: `remote: outbound address checks (${settings.networks})`,
      serverInfo: listing.serverInfo,
      protocolVersion: listing.protocolVersion,
    },
  };
}
