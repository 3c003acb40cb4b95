import { acceptToolChange } from "@/lib/api-contract/operations";
import { apiRoute } from "@/lib/http/api-route";
import { acceptToolChange as accept } from "@/lib/servers/accept-tool-change";

export const POST = apiRoute(acceptToolChange, async ({ caller, params }) => ({ status: 200, body: await accept(caller, params.id) }));
