import type { MetadataRoute } from "next";
import { headers } from "next/headers";
import { catalogServerHref, catalogToolHref } from "@/components/catalog/catalog-href";
import { getCatalogPool } from "@/lib/db/client";
import { publicUrl } from "@/lib/env";

// The public pages for search engines: the catalog, each server and each tool, and how risk levels work. Read per request (the catalog loads
// after start), from the configured public address or else the address the request came to.
export const dynamic = "force-dynamic";

export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const origin = (publicUrl() ?? `http://${(await headers()).get("host") ?? "localhost"}`).replace(/\/+$/, "");
  const { rows } = await getCatalogPool().query<{ server: string; tool: string | null; updated_at: Date }>(
    `SELECT s.name AS server, NULL AS tool, s.updated_at FROM catalog_servers s WHERE s.status <> 'deleted'
     UNION ALL
     SELECT t.server_name, t.name, s.updated_at FROM catalog_tools t JOIN catalog_servers s ON s.id = t.server_id WHERE s.status <> 'deleted'
     ORDER BY 1, 2 NULLS FIRST`,
  );
  return [
    { url: `${origin}/catalog` },
    { url: `${origin}/risk-levels` },
    ...rows.map((row) => ({
      url: origin + (row.tool === null ? catalogServerHref(row.server) : catalogToolHref(row.server, row.tool)),
      lastModified: row.updated_at,
    })),
  ];
}
