import { signOutEverywhere } from "@/lib/api-contract/operations";
import { endUserSessions } from "@/lib/auth/end-user-sessions";
import { apiRoute } from "@/lib/http/api-route";

export const DELETE = apiRoute(signOutEverywhere, async ({ caller }) => ({
  status: 200,
  body: { endedSessions: await endUserSessions(caller.userId) },
}));
