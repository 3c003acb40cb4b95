// Lists the tools of every server in catalog/sources.json for real and writes catalog/servers/*.json and
// catalog/crawl-report.json (format: the README's Catalog section). Usage:
//   npm run catalog:crawl -- [--only <name,...>] [--concurrency 2] [--timeout-ms 60000] [--keep-going]
// Each package is installed into its own temporary folder with install scripts off and started without network
// (unshare) and with a minimal environment. Exit status: 0 when every source was listed, 1 when some failed (all
// are still tried and written), 0 anyway with --keep-going; 2 for bad options or a bad source list.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseCatalogSources } from "../lib/catalog/crawl/catalog-source";
import { buildCrawlReport, crawlReportText, parseCrawlReport } from "../lib/catalog/crawl/crawl-report";
import { detectIsolation } from "../lib/catalog/crawl/detect-isolation";
import { installPackage } from "../lib/catalog/crawl/install-package";
import { isolationLabel } from "../lib/catalog/crawl/launch-command";
import { progressLine, runCrawl } from "../lib/catalog/crawl/run-crawl";
import { serverFileName } from "../lib/catalog/crawl/server-file";
import { env } from "../lib/env";

const root = path.resolve(import.meta.dirname, "..");

function usage(message: string): never {
  console.error(`${message}\nUsage: npm run catalog:crawl -- [--only <name,...>] [--concurrency N] [--timeout-ms N] [--keep-going]`);
  process.exit(2);
}

async function main() {
  let options;
  try {
    options = parseArgs({
      options: {
        only: { type: "string" },
        concurrency: { type: "string", default: "2" },
        "timeout-ms": { type: "string", default: "60000" },
        "keep-going": { type: "boolean", default: false },
        catalog: { type: "string", default: path.join(root, "catalog") },
      },
    }).values;
  } catch (error) {
    usage((error as Error).message);
  }
  const concurrency = Number(options.concurrency);
  const timeoutMs = Number(options["timeout-ms"]);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) usage("--concurrency must be a whole number from 1 to 16.");
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1_000) usage("--timeout-ms must be a whole number of milliseconds, at least 1000.");

  const catalogDir = path.resolve(options.catalog);
  let sources;
  try {
    sources = parseCatalogSources(await readFile(path.join(catalogDir, "sources.json"), "utf8"));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const only = options.only?.split(",").map((name) => name.trim()).filter(Boolean);
  if (only) {
    const unknown = only.filter((name) => !sources.some((s) => s.name === name));
    if (unknown.length > 0) usage(`Not in catalog/sources.json: ${unknown.join(", ")}.`);
  }
  const chosen = only ? sources.filter((s) => only.includes(s.name)) : sources;

  const isolation = detectIsolation();
  const sdkVersion = JSON.parse(await readFile(path.join(root, "node_modules/@modelcontextprotocol/sdk/package.json"), "utf8")).version as string;
  const sdk = `@modelcontextprotocol/sdk@${sdkVersion}`;
  const ranAt = new Date();
  console.log(`Crawling ${chosen.length} of ${sources.length} sources, ${concurrency} at a time, ${timeoutMs / 1000} s each; isolation: ${isolationLabel(isolation)}.`);
  if (isolation === "none") console.log("unshare is unavailable (it needs root): servers run with this machine's network.");

  const serversDir = path.join(catalogDir, "servers");
  await mkdir(serversDir, { recursive: true });
  const results = await runCrawl(chosen, {
    install: (source, prefix) => installPackage(source.package.identifier, source.package.version, prefix, { bin: source.crawl?.bin }),
    isolation,
    networks: env.PORTCULLIS_UPSTREAM_NETWORKS ?? "public",
    timeoutMs,
    tmpDir: os.tmpdir(),
    node: process.version,
    sdk,
    concurrency,
    onResult: async (result, done, total) => {
      // Written as each server finishes, so an interrupted run keeps what it listed. A server that fails keeps
      // its previous file: the report says it failed this time.
      if (result.file) await writeFile(path.join(serversDir, serverFileName(result.outcome.name)), result.file);
      console.log(progressLine(result, done, total));
    },
  });

  const reportFile = path.join(catalogDir, "crawl-report.json");
  const previous = parseCrawlReport(existsSync(reportFile) ? await readFile(reportFile, "utf8") : null);
  const report = buildCrawlReport({
    names: sources.map((s) => s.name),
    outcomes: results.map((r) => r.outcome),
    previous: only ? previous : null,
    ranAt,
    node: process.version,
    sdk,
    isolation: isolationLabel(isolation),
  });
  await writeFile(reportFile, crawlReportText(report));
  const failed = results.filter((r) => !r.outcome.ok);
  const tools = results.reduce((sum, r) => sum + (r.outcome.tools ?? 0), 0);
  console.log(`Listed ${results.length - failed.length} of ${results.length} servers this run, ${tools.toLocaleString("en")} tools; catalog: ${report.totals.listed} servers, ${report.totals.tools.toLocaleString("en")} tools.`);
  if (failed.length > 0) {
    console.log(`Failed: ${failed.map((r) => r.outcome.name).join(", ")}.`);
    if (!options["keep-going"]) process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
