import { gatewayAuthorizationServerMetadataEndpoint, metadataPreflight } from "@/lib/oauth-endpoints/metadata-endpoints";

// The authorization server metadata where clients that start from the gateway URL's path look first:
// lib/oauth-endpoints/metadata-endpoints.ts.
export const dynamic = "force-dynamic";
export { gatewayAuthorizationServerMetadataEndpoint as GET, metadataPreflight as OPTIONS };
