import { registerEndpoint, registerPreflight } from "@/lib/oauth-endpoints/register-endpoint";

// Dynamic Client Registration (RFC 7591): lib/oauth-endpoints/register-endpoint.ts.
export const dynamic = "force-dynamic";
export { registerEndpoint as POST, registerPreflight as OPTIONS };
