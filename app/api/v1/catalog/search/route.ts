import { searchCatalog } from "@/lib/api-contract/operations";
import { CATALOG_CACHE_HEADERS } from "@/lib/catalog/cache-headers";
import { searchCatalog as search } from "@/lib/catalog/search-catalog";
import { getPool } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/api-route";

export const GET = apiRoute(searchCatalog, async ({ query }) => ({ status: 200, body: await search(getPool(), query), headers: CATALOG_CACHE_HEADERS }));
