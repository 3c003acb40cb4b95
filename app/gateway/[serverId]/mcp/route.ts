import { createGatewayHandler } from "@/lib/gateway/handler";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";

// The gateway endpoint (MCP Streamable HTTP). All the work is in lib/gateway/handler.ts.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

let handler: ReturnType<typeof createGatewayHandler> | undefined;
const gateway = () => (handler ??= createGatewayHandler(createDatabaseGatewayDeps()));

type Context = { params: Promise<{ serverId: string }> };
const mount = async (request: Request, context: Context) => gateway()(request, (await context.params).serverId);

export const POST = mount;
export const GET = mount;
export const DELETE = mount;
