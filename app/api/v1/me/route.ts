import { getMe } from "@/lib/api-contract/operations";
import { getAccount } from "@/lib/accounts/get-account";
import { apiRoute } from "@/lib/http/api-route";

export const GET = apiRoute(getMe, async ({ caller }) => ({
  status: 200,
  body: { ...(await getAccount(caller)), authenticatedWith: caller.via },
}));
