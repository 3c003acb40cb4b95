import { listServerChanges } from "@/lib/api-contract/operations";
import { apiRoute } from "@/lib/http/api-route";
import { listChanges } from "@/lib/servers/list-changes";

export const GET = apiRoute(listServerChanges, async ({ caller, params }) => ({
  status: 200,
  body: { changes: await listChanges(caller, params.id) },
}));
