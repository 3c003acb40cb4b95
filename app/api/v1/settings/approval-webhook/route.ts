import { getApprovalWebhook, setApprovalWebhook } from "@/lib/api-contract/operations";
import { getApprovalWebhook as get, setApprovalWebhook as set } from "@/lib/approvals/approvals";
import { apiRoute } from "@/lib/http/api-route";

export const GET = apiRoute(getApprovalWebhook, async ({ caller }) => ({ status: 200, body: await get(caller) }));

export const PUT = apiRoute(setApprovalWebhook, async ({ caller, body }) => ({ status: 200, body: await set(caller, body.url) }));
