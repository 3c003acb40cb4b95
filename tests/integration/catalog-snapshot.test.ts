import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseCatalogSources } from "@/lib/catalog/crawl/catalog-source";
import { cleanListing } from "@/lib/catalog/crawl/clean-listing";
import { parseCrawlReport } from "@/lib/catalog/crawl/crawl-report";
import { LISTING_META_KEY, SERVER_FILE_SHAPE, serverFileName } from "@/lib/catalog/crawl/server-file";
import { stableJson } from "@/lib/catalog/crawl/stable-json";
import { toolsSha256 } from "@/lib/catalog/crawl/tools-digest";

// The committed snapshot (catalog/), as the crawler wrote it: CI reads it and never installs a package.

const catalog = path.join(import.meta.dirname, "../../catalog");
const sources = parseCatalogSources(readFileSync(path.join(catalog, "sources.json"), "utf8"));
const report = parseCrawlReport(readFileSync(path.join(catalog, "crawl-report.json"), "utf8"))!;
const files = readdirSync(path.join(catalog, "servers")).filter((name) => name.endsWith(".json")).sort();

interface Listing {
  tools: Record<string, unknown>[];
  toolsSha256: string;
  notes?: string[];
  listedAt: string;
  via: { transport: string; package?: string; url?: string; isolation: string };
}

function read(file: string) {
  const text = readFileSync(path.join(catalog, "servers", file), "utf8");
  const server = JSON.parse(text) as {
    name: string;
    version: string;
    packages?: { identifier: string; version: string }[];
    remotes?: { type: string; url: string }[];
    _meta: Record<string, Listing>;
  };
  return { text, server, listing: server._meta[LISTING_META_KEY]! };
}

describe("the committed catalog snapshot", () => {
  it("holds at least 60 real servers and 800 real tools, as the report says", () => {
    const listed = report.sources.filter((s) => s.ok);
    expect(report.totals.listed).toBe(listed.length);
    expect(report.totals.tools).toBe(listed.reduce((sum, s) => sum + (s.tools ?? 0), 0));
    expect(report.totals.listed).toBeGreaterThanOrEqual(60);
    expect(report.totals.tools).toBeGreaterThanOrEqual(800);
    for (const outcome of listed) {
      const { listing } = read(serverFileName(outcome.name));
      expect(listing.tools.length, outcome.name).toBe(outcome.tools);
    }
    for (const outcome of report.sources.filter((s) => !s.ok)) expect(outcome.reason, outcome.name).toMatch(/\S/);
  });

  it("has a file per listed source, named after it, for sources that are still in the list", () => {
    const names = new Set(sources.map((s) => s.name));
    for (const file of files) {
      const { server } = read(file);
      expect(names.has(server.name), `${file} is not in sources.json`).toBe(true);
      expect(file).toBe(serverFileName(server.name));
    }
    expect(report.sources.map((s) => s.name)).toEqual(sources.map((s) => s.name));
  });

  it("writes each file in the stable format, with the digest of its tools", () => {
    let packaged = 0;
    for (const file of files) {
      const { text, server, listing } = read(file);
      expect(text, file).toBe(stableJson(server, SERVER_FILE_SHAPE));
      expect(listing.toolsSha256, file).toBe(toolsSha256(listing.tools));
      const source = sources.find((s) => s.name === server.name)!;
      // A source is a package or a remote (sources.json's schema allows nothing else); the file says which it listed.
      if (source.package) {
        packaged++;
        expect(server.packages?.[0]?.identifier, file).toBe(source.package.identifier);
        expect(listing.via.package, file).toBe(`npm:${source.package.identifier}@${server.version}`);
      } else {
        expect(server.remotes, file).toEqual([{ type: source.remote!.type, url: source.remote!.url }]);
        expect(listing.via, file).toMatchObject({ transport: "streamable-http", url: source.remote!.url });
      }
    }
    // Every source of the snapshot today is an npm package: the package branch above was taken.
    expect(packaged).toBeGreaterThanOrEqual(60);
  });

  it("holds listings that cleaning leaves as they are: sorted, unique, storable names", () => {
    for (const file of files) {
      const { listing } = read(file);
      const again = cleanListing(listing.tools);
      expect(again, file).toEqual({ ok: true, tools: listing.tools, notes: [] });
    }
  });
});
