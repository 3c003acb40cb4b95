import { headers } from "next/headers";
import { CATALOG_CACHE_HEADERS } from "@/lib/catalog/cache-headers";
import { publicUrl } from "@/lib/env";
import { ApiError } from "@/lib/http/api-error";

// What the sitemap routes share: the address pages are listed on (the configured public address, or else the one
// the request came to), the XML answer, and the catalog's refusals (busy, too slow) as plain answers crawlers retry.

export async function sitemapOrigin(): Promise<string> {
  return (publicUrl() ?? `http://${(await headers()).get("host") ?? "localhost"}`).replace(/\/+$/, "");
}

export function xmlResponse(xml: string): Response {
  return new Response(xml, { headers: { "content-type": "application/xml; charset=utf-8", ...CATALOG_CACHE_HEADERS } });
}

export function refusalResponse(error: unknown): Response {
  if (!(error instanceof ApiError)) throw error;
  return new Response(error.message, { status: error.status, headers: { "content-type": "text/plain; charset=utf-8", ...error.headers } });
}
