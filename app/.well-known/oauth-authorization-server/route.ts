import { authorizationServerMetadataEndpoint, metadataPreflight } from "@/lib/oauth-endpoints/metadata-endpoints";

// Portcullis's authorization server metadata (RFC 8414): lib/oauth-endpoints/metadata-endpoints.ts.
export const dynamic = "force-dynamic";
export { authorizationServerMetadataEndpoint as GET, metadataPreflight as OPTIONS };
