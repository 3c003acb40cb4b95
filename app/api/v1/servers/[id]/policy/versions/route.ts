import { listPolicyVersions, savePolicyVersion } from "@/lib/api/operations";
import { apiRoute } from "@/lib/http/api-route";
import { listPolicyVersions as list } from "@/lib/policies/get-policy";
import { savePolicyVersion as save } from "@/lib/policies/save-policy-version";

export const GET = apiRoute(listPolicyVersions, async ({ caller, params }) => ({
  status: 200,
  body: { versions: await list(caller, params.id) },
}));

export const POST = apiRoute(savePolicyVersion, async ({ caller, params, body }) => ({ status: 201, body: await save(caller, params.id, body) }));
