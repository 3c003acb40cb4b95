import { describe, expect, it } from "vitest";
import { readAuthorizationRequest, redirectWithCode, redirectWithError } from "@/lib/oauth/authorization-request";
import { InvalidRequestError } from "@modelcontextprotocol/sdk/server/auth/errors.js";

const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const RESOURCE = "https://portcullis.example.com/gateway/0b8f2f0e-6a7b-4a57-9a43-2d3c1b6e9f10/mcp";
const GOOD = {
  response_type: "code",
  client_id: "https://client.example.com/oauth/client.json",
  redirect_uri: "http://127.0.0.1:33418/callback",
  code_challenge: CHALLENGE,
  code_challenge_method: "S256",
  resource: RESOURCE,
  state: "xyz",
};

const read = (params: Record<string, string | null>, extra: [string, string][] = []) => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...GOOD, ...params })) if (value !== null) search.set(name, value);
  for (const [name, value] of extra) search.append(name, value);
  return readAuthorizationRequest(search);
};

describe("reading an authorization request", () => {
  it("reads a complete request", () => {
    expect(read({})).toEqual({
      ok: true,
      clientId: GOOD.client_id,
      redirectUri: GOOD.redirect_uri,
      state: "xyz",
      problem: null,
      request: { clientId: GOOD.client_id, redirectUri: GOOD.redirect_uri, codeChallenge: CHALLENGE, resource: RESOURCE, scope: "mcp", state: "xyz" },
    });
  });

  it("takes a request without state (state is the client's own CSRF check; OAuth 2.1 leaves it optional with PKCE)", () => {
    const result = read({ state: null });
    expect(result.ok && result.request?.state).toBeNull();
  });

  it.each([
    ["no client_id", { client_id: null }, [], /client_id is missing/],
    ["no redirect_uri", { redirect_uri: null }, [], /redirect_uri is missing/],
    ["two client_ids", {}, [["client_id", "other"]], /client_id is sent more than once/],
    ["two redirect_uris", {}, [["redirect_uri", "https://evil.example.com/"]], /redirect_uri is sent more than once/],
  ] as const)("never redirects a request with %s", (_label, params, extra, message) => {
    const result = read(params, [...extra] as [string, string][]);
    expect(result.ok).toBe(false);
    if (result.ok) throw new Error("the request was read as one that may be redirected");
    expect(result.fatal.errorCode).toBe("invalid_request");
    expect(result.fatal.message).toMatch(message);
  });

  it.each([
    ["response_type=token", { response_type: "token" }, [], "unsupported_response_type"],
    ["plain PKCE", { code_challenge_method: "plain" }, [], "invalid_request"],
    ["no PKCE method", { code_challenge_method: null }, [], "invalid_request"],
    ["no code_challenge", { code_challenge: null }, [], "invalid_request"],
    ["no resource", { resource: null }, [], "invalid_target"],
    ["a relative resource", { resource: "/gateway/x/mcp" }, [], "invalid_target"],
    ["a resource with a fragment", { resource: `${RESOURCE}#x` }, [], "invalid_target"],
    ["two resources", {}, [["resource", "https://other.example.com/mcp"]], "invalid_request"],
    ["an unknown scope", { scope: "admin" }, [], "invalid_scope"],
    ["a state of 2001 characters", { state: "s".repeat(2001) }, [], "invalid_request"],
  ] as const)("refuses %s back to the client, with the state", (_label, params, extra, code) => {
    const result = read(params, [...extra] as [string, string][]);
    expect(result.ok).toBe(true);
    if (!result.ok) throw new Error(result.fatal.message);
    expect(result.problem?.errorCode).toBe(code);
    expect(result.request).toBeNull();
    expect(result.state).toBe("state" in params ? null : "xyz");
  });
});

describe("redirects back to the client", () => {
  const issuer = "https://portcullis.example.com";

  it("adds the code, the state and the issuer, keeping the redirect URI's own query", () => {
    const url = new URL(redirectWithCode("https://client.example.com/cb?tenant=1", issuer, "the-code", "a b&c"));
    expect(url.origin + url.pathname).toBe("https://client.example.com/cb");
    expect(Object.fromEntries(url.searchParams)).toEqual({ tenant: "1", code: "the-code", state: "a b&c", iss: issuer });
  });

  it("sends an error with its description, without a state it did not get", () => {
    const url = new URL(redirectWithError("http://127.0.0.1:33418/cb", issuer, new InvalidRequestError("no"), null));
    expect(Object.fromEntries(url.searchParams)).toEqual({ error: "invalid_request", error_description: "no", iss: issuer });
  });
});
