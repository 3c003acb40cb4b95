import { signUp } from "@/lib/api/operations";
import { signUp as createAccount } from "@/lib/accounts/sign-up";
import { apiRoute } from "@/lib/http/api-route";

export const POST = apiRoute(signUp, async ({ body }) => ({ status: 201, body: await createAccount(body) }));
