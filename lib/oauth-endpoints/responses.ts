import { InvalidRequestError, OAuthError, ServerError, TooManyRequestsError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { readLimitedText } from "@/lib/http/read-limited-text";
import { createLogger } from "@/lib/log/log";

// What the OAuth route handlers answer: JSON documents and OAuth error bodies (RFC 6749 §5.2), readable from any
// origin. These endpoints take no cookies (public clients prove themselves with PKCE, tokens are in the body), so
// `Access-Control-Allow-Origin: *` lets browser-based clients such as the MCP Inspector use them and exposes nothing.

const log = createLogger("oauth");

export const CORS_HEADERS: Record<string, string> = { "access-control-allow-origin": "*" };

/** The answer to a browser's preflight for an endpoint taking `methods`. */
export function preflight(methods: string): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS_HEADERS,
      "access-control-allow-methods": methods,
      "access-control-allow-headers": "authorization, content-type, mcp-protocol-version",
      "access-control-max-age": "600",
    },
  });
}

/** A JSON answer that no cache keeps (token responses must not be: RFC 6749 §5.1), readable from any origin. */
export function oauthJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache", ...CORS_HEADERS, ...headers },
  });
}

/** RFC 6749 §5.2's statuses: 401 for a client that is not known, 429 and 5xx for their cases, 400 otherwise. */
function statusOf(error: OAuthError): number {
  if (error.errorCode === "invalid_client") return 401;
  if (error instanceof TooManyRequestsError) return 429;
  if (error.errorCode === "server_error") return 500;
  if (error.errorCode === "temporarily_unavailable") return 503;
  return 400;
}

export function oauthErrorResponse(error: OAuthError, headers: Record<string, string> = {}): Response {
  return oauthJson(error.toResponseObject(), statusOf(error), headers);
}

/**
 * The OAuth error to answer for anything a handler threw: OAuth errors as they are; anything else is Portcullis's
 * fault (the database, a bug), logged, and answered as server_error without its details.
 */
export function toOAuthError(error: unknown, endpoint: string): OAuthError {
  if (error instanceof OAuthError) return error;
  log.error("OAuth endpoint failed", { endpoint, error });
  return new ServerError("Portcullis could not answer this request; try again in a moment.");
}

/** Token and revocation requests are a few short parameters; 16 KB is generous. */
export const FORM_BODY_LIMIT = 16 * 1024;

/**
 * Reads an application/x-www-form-urlencoded body (RFC 6749 §3.2), up to FORM_BODY_LIMIT bytes. Throws
 * InvalidRequestError for another content type, a larger body or a parameter sent twice (§3.2: parameters must not be).
 */
export async function readFormBody(request: Request): Promise<URLSearchParams> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    throw new InvalidRequestError(`Send the parameters as application/x-www-form-urlencoded${type ? `, not ${type.slice(0, 100)}` : ""}.`);
  }
  const text = await readLimitedText(request, FORM_BODY_LIMIT);
  if (text === null) throw new InvalidRequestError(`The request body is larger than ${FORM_BODY_LIMIT / 1024} KB.`);
  const params = new URLSearchParams(text);
  const names = [...params.keys()];
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) throw new InvalidRequestError(`${repeated.slice(0, 50)} is sent more than once.`);
  return params;
}
