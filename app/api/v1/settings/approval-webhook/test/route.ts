import { testApprovalWebhook } from "@/lib/api-contract/operations";
import { testApprovalWebhook as test } from "@/lib/approvals/approvals";
import { apiRoute } from "@/lib/http/api-route";

export const POST = apiRoute(testApprovalWebhook, async ({ caller }) => ({ status: 200, body: await test(caller) }));
