import { revokeEndpoint, tokenPreflight } from "@/lib/oauth-endpoints/token-endpoint";

// Token revocation (RFC 7009): lib/oauth-endpoints/token-endpoint.ts.
export const dynamic = "force-dynamic";
export { revokeEndpoint as POST, tokenPreflight as OPTIONS };
