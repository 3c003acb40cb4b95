import { getServerCatalogMatch } from "@/lib/api-contract/operations";
import { findCatalogMatch } from "@/lib/catalog/find-catalog-match";
import { getPool } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/api-route";
import { getServerOrThrow } from "@/lib/servers/get-server-or-throw";

export const GET = apiRoute(getServerCatalogMatch, async ({ caller, params }) => {
  const server = await getServerOrThrow(caller, params.id);
  return { status: 200, body: { match: await findCatalogMatch(getPool(), server.id) } };
});
