import { simulatePolicy } from "@/lib/api-contract/operations";
import { apiRoute } from "@/lib/http/api-route";
import { simulateCall } from "@/lib/policy-versions/simulate-call";

export const POST = apiRoute(simulatePolicy, async ({ caller, params, body }) => ({ status: 200, body: await simulateCall(caller, params.id, body) }));
