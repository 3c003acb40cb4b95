import type { CatalogSource } from "@/lib/catalog/crawl/catalog-source";
import { crawlSource, type CrawlResult, type CrawlSettings } from "@/lib/catalog/crawl/crawl-source";

// Crawls sources a few at a time. Results come back in the sources' order; each one is handed to `onResult` as it
// finishes (with its place and the total), so progress shows while the run goes on.

export async function runCrawl(
  sources: readonly CatalogSource[],
  settings: CrawlSettings & { concurrency: number; onResult?: (result: CrawlResult, done: number, total: number) => void | Promise<void> },
): Promise<CrawlResult[]> {
  const results: CrawlResult[] = new Array(sources.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < sources.length) {
      const index = next++;
      const result = await crawlSource(sources[index]!, settings);
      results[index] = result;
      await settings.onResult?.(result, ++done, sources.length);
    }
  };
  const workers = Math.max(1, Math.min(settings.concurrency, sources.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

/** One line of progress: `[3/80] io.github.x/y: 12 tools (1,234 ms)` or the reason it failed. */
export function progressLine(result: CrawlResult, done: number, total: number): string {
  const { outcome } = result;
  const what = outcome.ok ? `${outcome.tools} tool${outcome.tools === 1 ? "" : "s"}${outcome.notes ? ` (${outcome.notes.length} note${outcome.notes.length === 1 ? "" : "s"})` : ""}` : `FAILED: ${outcome.reason}`;
  return `[${done}/${total}] ${outcome.name}: ${what} (${outcome.ms.toLocaleString("en")} ms)`;
}
