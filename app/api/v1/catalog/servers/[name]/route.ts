import { getCatalogServer } from "@/lib/api-contract/operations";
import { CATALOG_CACHE_HEADERS } from "@/lib/catalog/cache-headers";
import { getCatalogServer as get } from "@/lib/catalog/get-catalog-server";
import { getPool } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/api-route";

export const GET = apiRoute(getCatalogServer, async ({ params }) => ({ status: 200, body: await get(getPool(), params.name), headers: CATALOG_CACHE_HEADERS }));
