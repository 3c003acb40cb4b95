import { listPolicyVersions, savePolicyVersion } from "@/lib/api-contract/operations";
import { apiRoute } from "@/lib/http/api-route";
import { listPolicyVersions as list } from "@/lib/policy-versions/get-policy";
import { savePolicyVersion as save } from "@/lib/policy-versions/save-policy-version";

export const GET = apiRoute(listPolicyVersions, async ({ caller, params }) => ({
  status: 200,
  body: { versions: await list(caller, params.id) },
}));

export const POST = apiRoute(savePolicyVersion, async ({ caller, params, body }) => ({ status: 201, body: await save(caller, params.id, body) }));
