import { describe, expect, it } from "vitest";
import { readSitemapPartName, sitemapIndexXml, sitemapPartName, urlsetXml } from "@/lib/catalog/sitemap";

describe("sitemap parts", () => {
  it("reads back the names it gives, and nothing else", () => {
    for (const part of [{ kind: "servers", index: 0 }, { kind: "tools", index: 12 }] as const) expect(readSitemapPartName(sitemapPartName(part))).toEqual(part);
    for (const name of ["tools-01.xml", "tools--1.xml", "tools-1", "users-0.xml", "tools-1.xml/..", "tools-1234567.xml", "TOOLS-1.xml"]) {
      expect(readSitemapPartName(name)).toBeNull();
    }
  });

  it("escapes what it lists, as XML", () => {
    const xml = urlsetXml("https://example.com", [{ path: "/catalog/servers/a%2Fb/tools/x<y>&'\"", lastModified: new Date("2026-12-07T00:00:00Z") }]);
    expect(xml).toContain("<loc>https://example.com/catalog/servers/a%2Fb/tools/x&#60;y&#62;&#38;&#39;&#34;</loc><lastmod>2026-12-07T00:00:00.000Z</lastmod>");
    expect(sitemapIndexXml("https://example.com", [{ kind: "tools", index: 2 }])).toContain("<sitemap><loc>https://example.com/sitemaps/tools-2.xml</loc></sitemap>");
  });
});
