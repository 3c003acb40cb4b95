import { listServerTools } from "@/lib/api-contract/operations";
import { apiRoute } from "@/lib/http/api-route";
import { listTools } from "@/lib/servers/list-tools";

export const GET = apiRoute(listServerTools, async ({ caller, params, query }) => ({
  status: 200,
  body: { tools: await listTools(caller, params.id, query) },
}));
