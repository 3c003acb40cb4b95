import { boundedCatalogRead } from "@/lib/catalog/catalog-busy";
import { sitemapIndexXml, sitemapParts } from "@/lib/catalog/sitemap";
import { refusalResponse, sitemapOrigin, xmlResponse } from "@/lib/catalog/sitemap-response";
import { getCatalogPool } from "@/lib/db/client";

// The sitemap index: one entry per part of the catalog's pages (lib/catalog/sitemap.ts), read per request (the
// catalog loads after start).
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  try {
    const parts = await boundedCatalogRead("Listing the sitemap", () => sitemapParts(getCatalogPool()));
    return xmlResponse(sitemapIndexXml(await sitemapOrigin(), parts));
  } catch (error) {
    return refusalResponse(error);
  }
}
