import { serveGatewayRoute } from "@/lib/gateway/next-route";

// The gateway endpoint when the app runs without scripts/server.ts (which serves it before Next.js): lib/gateway/next-route.ts.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export { serveGatewayRoute as GET, serveGatewayRoute as POST, serveGatewayRoute as DELETE };
