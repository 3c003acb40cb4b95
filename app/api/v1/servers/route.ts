import { createServer, listServers } from "@/lib/api-contract/operations";
import { apiRoute } from "@/lib/http/api-route";
import { listServers as list } from "@/lib/servers/list-servers";
import { registerServer } from "@/lib/servers/register-server";

export const GET = apiRoute(listServers, async ({ caller }) => ({ status: 200, body: { servers: await list(caller) } }));

export const POST = apiRoute(createServer, async ({ caller, body }) => ({ status: 201, body: await registerServer(caller, body) }));
