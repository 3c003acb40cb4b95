import { revokeToken } from "@/lib/api-contract/operations";
import { apiRoute } from "@/lib/http/api-route";
import { revokeToken as revoke } from "@/lib/tokens/revoke-token";

export const DELETE = apiRoute(revokeToken, async ({ caller, params }) => ({
  status: 200,
  body: await revoke(caller, params.id),
}));
