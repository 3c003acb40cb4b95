import { deleteServer, getServer, updateServer } from "@/lib/api-contract/operations";
import { apiRoute } from "@/lib/http/api-route";
import { deleteServer as remove } from "@/lib/servers/delete-server";
import { getServerOrThrow } from "@/lib/servers/get-server-or-throw";
import { serverView } from "@/lib/servers/server-views";
import { updateServer as update } from "@/lib/servers/update-server";

export const GET = apiRoute(getServer, async ({ caller, params }) => ({
  status: 200,
  body: await serverView(await getServerOrThrow(caller, params.id)),
}));

export const PATCH = apiRoute(updateServer, async ({ caller, params, body }) => ({ status: 200, body: await update(caller, params.id, body) }));

export const DELETE = apiRoute(deleteServer, async ({ caller, params }) => {
  await remove(caller, params.id);
  return { status: 204 };
});
