import { getTool, overrideTool } from "@/lib/api-contract/operations";
import { apiRoute } from "@/lib/http/api-route";
import { getTool as get } from "@/lib/servers/get-tool";
import { overrideTool as override } from "@/lib/servers/override-tool";

export const GET = apiRoute(getTool, async ({ caller, params }) => ({ status: 200, body: await get(caller, params.id) }));

export const PATCH = apiRoute(overrideTool, async ({ caller, params, body }) => ({
  status: 200,
  body: await override(caller, params.id, body.override),
}));
