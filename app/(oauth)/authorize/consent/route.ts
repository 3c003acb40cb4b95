import { consentEndpoint } from "@/lib/oauth-endpoints/consent-endpoint";

// The consent form's answer: lib/oauth-endpoints/consent-endpoint.ts.
export const dynamic = "force-dynamic";
export { consentEndpoint as POST };
