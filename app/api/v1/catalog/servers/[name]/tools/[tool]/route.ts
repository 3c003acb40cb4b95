import { getCatalogTool } from "@/lib/api-contract/operations";
import { boundedCatalogRead } from "@/lib/catalog/catalog-busy";
import { CATALOG_CACHE_HEADERS } from "@/lib/catalog/cache-headers";
import { getCatalogTool as get } from "@/lib/catalog/get-catalog-tool";
import { getCatalogPool } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/api-route";

export const GET = apiRoute(getCatalogTool, async ({ params }) => ({
  status: 200,
  body: await boundedCatalogRead("Reading this tool", () => get(getCatalogPool(), params.name, params.tool)),
  headers: CATALOG_CACHE_HEADERS,
}));
