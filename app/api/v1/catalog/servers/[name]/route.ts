import { getCatalogServer } from "@/lib/api-contract/operations";
import { boundedCatalogRead } from "@/lib/catalog/catalog-busy";
import { CATALOG_CACHE_HEADERS } from "@/lib/catalog/cache-headers";
import { getCatalogServer as get } from "@/lib/catalog/get-catalog-server";
import { getCatalogPool } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/api-route";

export const GET = apiRoute(getCatalogServer, async ({ params }) => ({ status: 200, body: await boundedCatalogRead("Reading this server", () => get(getCatalogPool(), params.name)), headers: CATALOG_CACHE_HEADERS }));
