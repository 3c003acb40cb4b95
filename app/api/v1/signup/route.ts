import { signUp } from "@/lib/api-contract/operations";
import { answerSignUp } from "@/lib/accounts/answer-sign-up";
import { apiRoute } from "@/lib/http/api-route";
import { clientAddress } from "@/lib/http/client-address";

export const POST = apiRoute(signUp, async ({ request, body }) => ({
  status: 201,
  body: await answerSignUp(body, clientAddress(request.headers)),
}));
