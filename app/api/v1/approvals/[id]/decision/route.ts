import { decideApproval } from "@/lib/api-contract/operations";
import { decideApproval as decide } from "@/lib/approvals/approvals";
import { apiRoute } from "@/lib/http/api-route";

export const POST = apiRoute(decideApproval, async ({ caller, params, body }) => ({ status: 200, body: await decide(caller, params.id, body) }));
