import { stableJson, type KeyShape } from "@/lib/catalog/crawl/stable-json";

// catalog/crawl-report.json: what the last crawl did with each source. A run limited with --only replaces the
// entries of the sources it tried and keeps the others, so the report always covers the whole source list. Pure.

export interface CrawlOutcome {
  name: string;
  ok: boolean;
  /** Why the server could not be listed: a sentence a person can act on. */
  reason?: string;
  tools?: number;
  /** The package version installed, or the remote's version. */
  version?: string;
  /** What cleaning the listing changed (see cleanListing). */
  notes?: string[];
  ms: number;
  /** When this source was tried (a run with --only keeps earlier entries). */
  at: string;
}

export interface CrawlReport {
  ranAt: string;
  node: string;
  sdk: string;
  isolation: string;
  totals: { sources: number; listed: number; failed: number; tools: number };
  sources: CrawlOutcome[];
}

const SHAPE: KeyShape = {
  first: ["ranAt", "node", "sdk", "isolation", "totals", "sources"],
  children: {
    totals: { first: ["sources", "listed", "failed", "tools"] },
    sources: { first: ["name", "ok", "reason", "tools", "version", "notes", "ms", "at"] },
  },
};

export function buildCrawlReport(input: {
  /** Every source name, in sources.json's order. */
  names: readonly string[];
  outcomes: readonly CrawlOutcome[];
  previous?: CrawlReport | null;
  ranAt: Date;
  node: string;
  sdk: string;
  isolation: string;
}): CrawlReport {
  const fresh = new Map(input.outcomes.map((o) => [o.name, o]));
  const old = new Map((input.previous?.sources ?? []).map((o) => [o.name, o]));
  const sources = input.names.flatMap((name) => {
    const outcome = fresh.get(name) ?? old.get(name);
    return outcome ? [outcome] : [];
  });
  const listed = sources.filter((o) => o.ok);
  return {
    ranAt: input.ranAt.toISOString(),
    node: input.node,
    sdk: input.sdk,
    isolation: input.isolation,
    totals: {
      sources: sources.length,
      listed: listed.length,
      failed: sources.length - listed.length,
      tools: listed.reduce((sum, o) => sum + (o.tools ?? 0), 0),
    },
    sources,
  };
}

export function crawlReportText(report: CrawlReport): string {
  return stableJson(report, SHAPE);
}

/** A previous report read back, or null when there is none or it is not one. */
export function parseCrawlReport(text: string | null): CrawlReport | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<CrawlReport>;
    return Array.isArray(value.sources) ? (value as CrawlReport) : null;
  } catch {
    return null;
  }
}
