import { createToken, listTokens } from "@/lib/api-contract/operations";
import { apiRoute } from "@/lib/http/api-route";
import { createToken as create } from "@/lib/tokens/create-token";
import { listTokens as list } from "@/lib/tokens/list-tokens";

export const GET = apiRoute(listTokens, async ({ caller }) => ({ status: 200, body: { tokens: await list(caller) } }));

export const POST = apiRoute(createToken, async ({ caller, body }) => ({ status: 201, body: await create(caller, body) }));
