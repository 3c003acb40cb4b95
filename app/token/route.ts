import { tokenEndpoint, tokenPreflight } from "@/lib/oauth-endpoints/token-endpoint";

// The OAuth token endpoint (authorization_code and refresh_token): lib/oauth-endpoints/token-endpoint.ts.
export const dynamic = "force-dynamic";
export { tokenEndpoint as POST, tokenPreflight as OPTIONS };
