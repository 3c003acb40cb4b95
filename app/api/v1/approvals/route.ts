import { listApprovals } from "@/lib/api-contract/operations";
import { countPendingApprovals, listApprovals as list } from "@/lib/approvals/approvals";
import { apiRoute } from "@/lib/http/api-route";

export const GET = apiRoute(listApprovals, async ({ caller, query }) => {
  const [approvals, pendingCount] = await Promise.all([list(caller, query.state, query.limit), countPendingApprovals(caller)]);
  return { status: 200, body: { approvals, pendingCount } };
});
