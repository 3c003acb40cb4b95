import { InvalidClientMetadataError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { getPool } from "@/lib/db/client";
import { clientAddress } from "@/lib/http/client-address";
import { readLimitedText } from "@/lib/http/read-limited-text";
import { admitClientRegistration, RegistrationThrottledError } from "@/lib/oauth/admit-registration";
import { registerClient } from "@/lib/oauth/register-client";
import { oauthErrorResponse, oauthJson, preflight, toOAuthError } from "@/lib/oauth-endpoints/responses";

// POST /register: Dynamic Client Registration (RFC 7591) for public clients. Anyone may call it, so the body is
// bounded and each client network may register a few clients an hour (lib/oauth/admit-registration.ts). Errors are
// RFC 7591 §3.2.2 JSON (invalid_client_metadata, invalid_redirect_uri) with a sentence saying what to change.

/** Client metadata is a few URLs and names: a real one is well under 2 KB. */
export const REGISTRATION_BODY_LIMIT = 16 * 1024;

async function readMetadata(request: Request): Promise<unknown> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") {
    throw new InvalidClientMetadataError(`Send the client metadata as JSON (Content-Type: application/json)${type ? `, not ${type.slice(0, 100)}` : ""}.`);
  }
  const text = await readLimitedText(request, REGISTRATION_BODY_LIMIT);
  if (text === null) throw new InvalidClientMetadataError(`The client metadata is larger than ${REGISTRATION_BODY_LIMIT / 1024} KB.`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidClientMetadataError(`The client metadata is not valid JSON: ${(error as Error).message}.`);
  }
}

export async function registerEndpoint(request: Request): Promise<Response> {
  try {
    const metadata = await readMetadata(request);
    await admitClientRegistration(clientAddress(request.headers));
    return oauthJson(await registerClient(getPool(), metadata), 201);
  } catch (error) {
    const refusal = toOAuthError(error, "register");
    return oauthErrorResponse(refusal, refusal instanceof RegistrationThrottledError ? { "retry-after": String(refusal.retryAfterSeconds) } : {});
  }
}

export const registerPreflight = () => preflight("POST");
