import { OAuthClientMetadataSchema } from "@modelcontextprotocol/sdk/shared/auth.js";
import { redirectUriProblem } from "@/lib/oauth/redirect-uri";

// Client metadata (RFC 7591 fields), as a client registers it or publishes it in its Client ID Metadata Document.
// The SDK's schema checks the shape; the rules here are Portcullis's: public clients only (no secret, PKCE instead),
// the authorization code and refresh token grants only, redirect URIs per redirect-uri.ts, and bounded sizes, since
// anyone can register a client and what is stored is shown on consent pages.

export const MAX_REDIRECT_URIS = 10;
export const MAX_CLIENT_NAME_LENGTH = 200;
const MAX_URL_LENGTH = 2000;
const MAX_CONTACTS = 5;
const MAX_SHORT_TEXT = 200;

const GRANT_TYPES = ["authorization_code", "refresh_token"];
const RESPONSE_TYPES = ["code"];

/** What Portcullis keeps of a client's metadata (stored in oauth_clients.metadata). */
export interface ClientMetadata {
  redirect_uris: string[];
  token_endpoint_auth_method: "none";
  grant_types: string[];
  response_types: string[];
  client_name?: string;
  client_uri?: string;
  logo_uri?: string;
  tos_uri?: string;
  policy_uri?: string;
  contacts?: string[];
  software_id?: string;
  software_version?: string;
}

export type ClientMetadataCheck =
  | { ok: true; metadata: ClientMetadata }
  /** `field` lets registration answer invalid_redirect_uri (RFC 7591 §3.2.2) for redirect URI problems. */
  | { ok: false; field: string; message: string };

const fail = (field: string, message: string): ClientMetadataCheck => ({ ok: false, field, message });

/** Checks client metadata; returns what to keep, or the first problem as a sentence naming the field. */
export function checkClientMetadata(input: unknown): ClientMetadataCheck {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return fail("", "The client metadata must be a JSON object.");
  const parsed = OAuthClientMetadataSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join(".");
    return fail(String(issue.path[0] ?? ""), `${field || "The metadata"}: ${issue.message}`);
  }
  const m = parsed.data;

  const method = m.token_endpoint_auth_method ?? "none";
  if (method !== "none") {
    return fail(
      "token_endpoint_auth_method",
      `token_endpoint_auth_method "${method.slice(0, 50)}" is not supported: Portcullis registers public clients only, which authenticate with PKCE, so it must be "none".`,
    );
  }
  const grantTypes = m.grant_types ?? GRANT_TYPES;
  const otherGrant = grantTypes.find((g) => !GRANT_TYPES.includes(g));
  if (otherGrant !== undefined) {
    return fail("grant_types", `grant_types may name only authorization_code and refresh_token; "${otherGrant.slice(0, 80)}" is not supported.`);
  }
  if (!grantTypes.includes("authorization_code")) return fail("grant_types", "grant_types must include authorization_code.");
  const responseTypes = m.response_types ?? RESPONSE_TYPES;
  const otherResponse = responseTypes.find((r) => !RESPONSE_TYPES.includes(r));
  if (otherResponse !== undefined) return fail("response_types", `response_types may name only "code"; "${otherResponse.slice(0, 80)}" is not supported.`);

  if (m.redirect_uris.length === 0) return fail("redirect_uris", "redirect_uris must name at least one redirect URI.");
  if (m.redirect_uris.length > MAX_REDIRECT_URIS) return fail("redirect_uris", `redirect_uris names more than ${MAX_REDIRECT_URIS} redirect URIs.`);
  for (const uri of m.redirect_uris) {
    const problem = redirectUriProblem(uri);
    if (problem) return fail("redirect_uris", problem);
  }

  if (m.client_name !== undefined && m.client_name.length > MAX_CLIENT_NAME_LENGTH) {
    return fail("client_name", `client_name is longer than ${MAX_CLIENT_NAME_LENGTH} characters.`);
  }
  // Shown on the consent page (the logo is loaded by the user's browser): https only.
  for (const field of ["client_uri", "logo_uri", "tos_uri", "policy_uri"] as const) {
    const value = m[field];
    if (value === undefined || value === "") continue;
    if (value.length > MAX_URL_LENGTH) return fail(field, `${field} is longer than ${MAX_URL_LENGTH} characters.`);
    if (!URL.canParse(value) || new URL(value).protocol !== "https:") return fail(field, `${field} must be an https URL.`);
  }
  if (m.contacts !== undefined && (m.contacts.length > MAX_CONTACTS || m.contacts.some((c) => c.length > MAX_SHORT_TEXT))) {
    return fail("contacts", `contacts may name at most ${MAX_CONTACTS} addresses of at most ${MAX_SHORT_TEXT} characters.`);
  }
  for (const field of ["software_id", "software_version"] as const) {
    if ((m[field]?.length ?? 0) > MAX_SHORT_TEXT) return fail(field, `${field} is longer than ${MAX_SHORT_TEXT} characters.`);
  }

  // Only what Portcullis uses or shows is kept: never a secret, a key set or a software statement.
  const metadata: ClientMetadata = {
    redirect_uris: [...m.redirect_uris],
    token_endpoint_auth_method: "none",
    grant_types: [...new Set(grantTypes)],
    response_types: [...new Set(responseTypes)],
  };
  if (m.client_name !== undefined && m.client_name.trim() !== "") metadata.client_name = m.client_name.trim();
  for (const field of ["client_uri", "logo_uri", "tos_uri", "policy_uri", "software_id", "software_version"] as const) {
    const value = m[field];
    if (value !== undefined && value !== "") metadata[field] = value;
  }
  if (m.contacts !== undefined && m.contacts.length > 0) metadata.contacts = [...m.contacts];
  return { ok: true, metadata };
}
