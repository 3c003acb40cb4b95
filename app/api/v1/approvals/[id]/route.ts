import { getApproval } from "@/lib/api-contract/operations";
import { getApproval as get } from "@/lib/approvals/approvals";
import { apiRoute } from "@/lib/http/api-route";

export const GET = apiRoute(getApproval, async ({ caller, params }) => ({ status: 200, body: await get(caller, params.id) }));
