import { getPolicy } from "@/lib/api-contract/operations";
import { apiRoute } from "@/lib/http/api-route";
import { getPolicy as get } from "@/lib/policy-versions/get-policy";

export const GET = apiRoute(getPolicy, async ({ caller, params }) => ({ status: 200, body: await get(caller, params.id) }));
