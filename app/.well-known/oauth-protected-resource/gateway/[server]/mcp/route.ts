import { metadataPreflight, protectedResourceMetadataEndpoint } from "@/lib/oauth-endpoints/metadata-endpoints";

// A gateway URL's protected resource metadata (RFC 9728): lib/oauth-endpoints/metadata-endpoints.ts.
export const dynamic = "force-dynamic";
export { protectedResourceMetadataEndpoint as GET, metadataPreflight as OPTIONS };
