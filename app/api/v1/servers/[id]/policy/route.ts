import { getPolicy } from "@/lib/api/operations";
import { apiRoute } from "@/lib/http/api-route";
import { getPolicy as get } from "@/lib/policies/get-policy";

export const GET = apiRoute(getPolicy, async ({ caller, params }) => ({ status: 200, body: await get(caller, params.id) }));
