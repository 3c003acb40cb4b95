import { revokeGrant } from "@/lib/api-contract/operations";
import { revokeGrant as revoke } from "@/lib/grants/grants";
import { apiRoute } from "@/lib/http/api-route";

export const DELETE = apiRoute(revokeGrant, async ({ caller, params }) => ({ status: 200, body: await revoke(caller, params.id) }));
