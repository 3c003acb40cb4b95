import { describe, expect, it } from "vitest";
import { buildCrawlReport, crawlReportText, parseCrawlReport, type CrawlOutcome } from "@/lib/catalog/crawl/crawl-report";

const at = "2026-12-01T00:00:00.000Z";
const ok = (name: string, tools: number): CrawlOutcome => ({ name, ok: true, tools, version: "1.0.0", ms: 10, at });
const failed = (name: string): CrawlOutcome => ({ name, ok: false, reason: "The server exited during initialize.", ms: 5, at });
const base = { ranAt: new Date("2026-12-02T00:00:00Z"), node: "v20.20.2", sdk: "@modelcontextprotocol/sdk@1.32.2", isolation: "unshare -n" };

describe("buildCrawlReport", () => {
  it("lists outcomes in the sources' order with totals over them", () => {
    const report = buildCrawlReport({ ...base, names: ["a/a", "b/b", "c/c"], outcomes: [failed("c/c"), ok("a/a", 3), ok("b/b", 4)] });
    expect(report.sources.map((s) => s.name)).toEqual(["a/a", "b/b", "c/c"]);
    expect(report.totals).toEqual({ sources: 3, listed: 2, failed: 1, tools: 7 });
    expect(report.ranAt).toBe("2026-12-02T00:00:00.000Z");
  });

  it("after a run limited to some sources, keeps the others' last outcome and drops sources no longer listed", () => {
    const previous = buildCrawlReport({ ...base, names: ["a/a", "b/b", "gone/gone"], outcomes: [ok("a/a", 3), failed("b/b"), ok("gone/gone", 9)] });
    const report = buildCrawlReport({ ...base, names: ["a/a", "b/b"], outcomes: [ok("b/b", 5)], previous });
    expect(report.sources).toEqual([ok("a/a", 3), ok("b/b", 5)]);
    expect(report.totals).toEqual({ sources: 2, listed: 2, failed: 0, tools: 8 });
  });

  it("writes stable text that reads back", () => {
    const report = buildCrawlReport({ ...base, names: ["a/a"], outcomes: [failed("a/a")] });
    const text = crawlReportText(report);
    expect(text.split("\n").slice(0, 6)).toEqual(["{", '  "ranAt": "2026-12-02T00:00:00.000Z",', '  "node": "v20.20.2",', '  "sdk": "@modelcontextprotocol/sdk@1.32.2",', '  "isolation": "unshare -n",', '  "totals": {']);
    expect(text).toContain('"name": "a/a",\n      "ok": false,\n      "reason": "The server exited during initialize.",\n      "ms": 5,');
    expect(parseCrawlReport(text)).toEqual(report);
    expect(parseCrawlReport("not json")).toBeNull();
    expect(parseCrawlReport(null)).toBeNull();
  });
});
