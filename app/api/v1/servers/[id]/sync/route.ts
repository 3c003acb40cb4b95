import { syncServer } from "@/lib/api-contract/operations";
import { apiRoute } from "@/lib/http/api-route";
import { getServerOrThrow } from "@/lib/servers/get-server-or-throw";
import { syncServer as sync } from "@/lib/servers/sync-server";

export const POST = apiRoute(syncServer, async ({ caller, params }) => ({
  status: 200,
  body: await sync(await getServerOrThrow(caller, params.id)),
}));
