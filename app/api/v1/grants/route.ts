import { createGrant, listGrants } from "@/lib/api-contract/operations";
import { createGrant as create, listGrants as list } from "@/lib/grants/grants";
import { apiRoute } from "@/lib/http/api-route";

export const GET = apiRoute(listGrants, async ({ caller }) => ({ status: 200, body: { grants: await list(caller) } }));

export const POST = apiRoute(createGrant, async ({ caller, body }) => ({ status: 201, body: await create(caller, body) }));
