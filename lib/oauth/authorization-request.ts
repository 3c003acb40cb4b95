import {
  InvalidRequestError,
  InvalidTargetError,
  UnsupportedResponseTypeError,
  type OAuthError,
} from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { checkCodeChallenge } from "@/lib/oauth/pkce";
import { parseScope } from "@/lib/oauth/scope";

// Reading an authorization request (GET /authorize's query). Where an error goes depends on how far the request got:
// without a client id and redirect URI, or before the redirect URI is found among the client's registered ones, an
// error is shown to the person and never sent anywhere (no open redirect); after that, it is sent back to the client
// on its redirect URI with the request's state.

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  /** The S256 challenge. */
  codeChallenge: string;
  /** The gateway URL the token will be for (RFC 8707). */
  resource: string;
  scope: string;
  /** Echoed back to the client as sent (the client checks it against CSRF); null when it sent none. */
  state: string | null;
}

export type ReadAuthorizationRequest =
  /** Show this to the person; never redirect. */
  | { ok: false; fatal: OAuthError }
  /**
   * The client id and redirect URI to check next (resolve the client; the redirect URI must be one it registered, else
   * show an error). Then, when `problem` is set, redirect it to the client (redirectWithError); otherwise `request`
   * is complete and the consent page can be shown.
   */
  | { ok: true; clientId: string; redirectUri: string; state: string | null; problem: OAuthError | null; request: AuthorizationRequest | null };

const MAX_PARAMETER_LENGTH = 2000;
const SINGLE = ["client_id", "redirect_uri", "response_type", "code_challenge", "code_challenge_method", "resource", "scope", "state"];

export function readAuthorizationRequest(params: URLSearchParams): ReadAuthorizationRequest {
  // RFC 6749 §3.1: a parameter must not be sent twice (a second client_id or redirect_uri could confuse what is checked).
  const repeated = SINGLE.find((name) => params.getAll(name).length > 1);
  if (repeated === "client_id" || repeated === "redirect_uri") return { ok: false, fatal: new InvalidRequestError(`${repeated} is sent more than once.`) };

  const clientId = params.get("client_id");
  if (!clientId) return { ok: false, fatal: new InvalidRequestError("client_id is missing.") };
  if (clientId.length > MAX_PARAMETER_LENGTH) return { ok: false, fatal: new InvalidRequestError(`client_id is longer than ${MAX_PARAMETER_LENGTH} characters.`) };
  const redirectUri = params.get("redirect_uri");
  if (!redirectUri) return { ok: false, fatal: new InvalidRequestError("redirect_uri is missing: send one of the redirect URIs the client registered.") };
  if (redirectUri.length > MAX_PARAMETER_LENGTH) return { ok: false, fatal: new InvalidRequestError(`redirect_uri is longer than ${MAX_PARAMETER_LENGTH} characters.`) };

  const rawState = params.get("state");
  const stateTooLong = rawState !== null && rawState.length > MAX_PARAMETER_LENGTH;
  const state = rawState === null || rawState === "" || stateTooLong ? null : rawState;
  const partial = { ok: true as const, clientId, redirectUri, state };
  const refuse = (problem: OAuthError) => ({ ...partial, problem, request: null });

  if (repeated) return refuse(new InvalidRequestError(`${repeated} is sent more than once.`));
  if (stateTooLong) return refuse(new InvalidRequestError(`state is longer than ${MAX_PARAMETER_LENGTH} characters.`));
  const responseType = params.get("response_type");
  if (responseType !== "code") {
    return refuse(new UnsupportedResponseTypeError(`response_type must be "code"${responseType ? `, not "${responseType.slice(0, 50)}"` : ""}.`));
  }
  let codeChallenge: string;
  try {
    codeChallenge = checkCodeChallenge(params.get("code_challenge"), params.get("code_challenge_method"));
  } catch (error) {
    return refuse(error as OAuthError);
  }
  const resource = params.get("resource");
  if (!resource) return refuse(new InvalidTargetError("resource is missing: send the gateway URL this token is for (RFC 8707)."));
  if (!URL.canParse(resource) || resource.includes("#")) return refuse(new InvalidTargetError("resource must be an absolute URL without a fragment: the gateway URL."));
  let scope: string;
  try {
    scope = parseScope(params.get("scope"));
  } catch (error) {
    return refuse(error as OAuthError);
  }
  return { ...partial, problem: null, request: { clientId, redirectUri, codeChallenge, resource, scope, state } };
}

/** The redirect URI with `params` added to its query (keeping the query it has), and `iss` (RFC 9207). */
function withParams(redirectUri: string, issuer: string, params: Record<string, string | null | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== null && value !== undefined) url.searchParams.set(name, value);
  url.searchParams.set("iss", issuer);
  return url.href;
}

/** Where to send the person after consent: the client's redirect URI with the code and state. */
export function redirectWithCode(redirectUri: string, issuer: string, code: string, state: string | null): string {
  return withParams(redirectUri, issuer, { code, state });
}

/** Where to send the person when the request is refused (or consent denied) after the redirect URI was verified. */
export function redirectWithError(redirectUri: string, issuer: string, error: OAuthError, state: string | null): string {
  return withParams(redirectUri, issuer, { error: error.errorCode, error_description: error.message, state });
}
