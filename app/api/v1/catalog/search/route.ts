import { searchCatalog } from "@/lib/api-contract/operations";
import { boundedCatalogRead } from "@/lib/catalog/catalog-busy";
import { CATALOG_CACHE_HEADERS } from "@/lib/catalog/cache-headers";
import { searchCatalog as search } from "@/lib/catalog/search-catalog";
import { getCatalogPool } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/api-route";

export const GET = apiRoute(searchCatalog, async ({ query }) => ({ status: 200, body: await boundedCatalogRead("This search", () => search(getCatalogPool(), query)), headers: CATALOG_CACHE_HEADERS }));
