import { serveGatewayAside } from "@/lib/gateway/next-route";

// Where MCP clients look for OAuth on a 401, and paths under /gateway/ that are no endpoint, when the app runs
// without scripts/server.ts (which answers them itself): lib/gateway/next-route.ts.
export const dynamic = "force-dynamic";
export { serveGatewayAside as GET, serveGatewayAside as POST, serveGatewayAside as OPTIONS };
