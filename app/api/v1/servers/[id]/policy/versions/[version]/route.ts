import { getPolicyVersion } from "@/lib/api-contract/operations";
import { apiRoute } from "@/lib/http/api-route";
import { getPolicyVersion as get } from "@/lib/policy-versions/get-policy";

export const GET = apiRoute(getPolicyVersion, async ({ caller, params }) => ({
  status: 200,
  body: await get(caller, params.id, params.version),
}));
