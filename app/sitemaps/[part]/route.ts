import { boundedCatalogRead } from "@/lib/catalog/catalog-busy";
import { readSitemapPartName, sitemapPartEntries, urlsetXml } from "@/lib/catalog/sitemap";
import { refusalResponse, sitemapOrigin, xmlResponse } from "@/lib/catalog/sitemap-response";
import { getCatalogPool } from "@/lib/db/client";

// One part of the sitemap (/sitemaps/servers-0.xml, /sitemaps/tools-3.xml): at most 40,000 pages, read along an
// index. A name that is not a part, or a part past the catalog's end, is a 404; a part the index lists is always
// answered, empty when the servers of its tools were all deleted since.
export const dynamic = "force-dynamic";

const noSuchSitemap = () => new Response("No such sitemap.", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });

export async function GET(_request: Request, { params }: { params: Promise<{ part: string }> }): Promise<Response> {
  const part = readSitemapPartName((await params).part);
  if (!part) return noSuchSitemap();
  try {
    const entries = await boundedCatalogRead("Listing this sitemap", () => sitemapPartEntries(getCatalogPool(), part));
    return entries === null ? noSuchSitemap() : xmlResponse(urlsetXml(await sitemapOrigin(), entries));
  } catch (error) {
    return refusalResponse(error);
  }
}
