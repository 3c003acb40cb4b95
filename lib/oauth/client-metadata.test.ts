import { describe, expect, it } from "vitest";
import { checkClientMetadata } from "@/lib/oauth/client-metadata";

const BASE = { redirect_uris: ["http://127.0.0.1:33418/callback"], client_name: "Test client" };

const problem = (input: unknown) => {
  const check = checkClientMetadata(input);
  return check.ok ? null : { field: check.field, message: check.message };
};

describe("client metadata", () => {
  it("keeps only what Portcullis uses, with the public-client defaults", () => {
    const check = checkClientMetadata({
      ...BASE,
      client_uri: "https://client.example.com",
      logo_uri: "https://client.example.com/logo.png",
      jwks: { keys: [] },
      software_statement: "eyJ...",
      unknown_field: "x",
    });
    expect(check).toEqual({
      ok: true,
      metadata: {
        redirect_uris: BASE.redirect_uris,
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        client_name: "Test client",
        client_uri: "https://client.example.com",
        logo_uri: "https://client.example.com/logo.png",
      },
    });
  });

  it.each([
    ["not an object", [], "", /must be a JSON object/],
    ["no redirect_uris", { client_name: "x" }, "redirect_uris", /redirect_uris/],
    ["an empty redirect_uris", { redirect_uris: [] }, "redirect_uris", /at least one/],
    ["eleven redirect URIs", { redirect_uris: Array.from({ length: 11 }, (_, i) => `https://c.example.com/${i}`) }, "redirect_uris", /more than 10/],
    ["a non-loopback http redirect URI", { redirect_uris: ["http://c.example.com/cb"] }, "redirect_uris", /other than loopback/],
    ["a redirect URI with a fragment", { redirect_uris: ["https://c.example.com/cb#x"] }, "redirect_uris", /fragment/],
    ["a javascript: redirect URI", { redirect_uris: ["javascript:alert(1)"] }, "redirect_uris", /javascript/],
    ["client_secret_basic", { ...BASE, token_endpoint_auth_method: "client_secret_basic" }, "token_endpoint_auth_method", /public clients only.*must be "none"/],
    ["private_key_jwt", { ...BASE, token_endpoint_auth_method: "private_key_jwt" }, "token_endpoint_auth_method", /"private_key_jwt" is not supported/],
    ["client_credentials", { ...BASE, grant_types: ["authorization_code", "client_credentials"] }, "grant_types", /"client_credentials" is not supported/],
    ["no authorization_code", { ...BASE, grant_types: ["refresh_token"] }, "grant_types", /must include authorization_code/],
    ["the token response type", { ...BASE, response_types: ["token"] }, "response_types", /"token" is not supported/],
    ["a long name", { ...BASE, client_name: "x".repeat(201) }, "client_name", /longer than 200/],
    ["an http logo", { ...BASE, logo_uri: "http://c.example.com/logo.png" }, "logo_uri", /must be an https URL/],
    ["a data: logo", { ...BASE, logo_uri: "data:image/png;base64,AAAA" }, "logo_uri", /javascript:, data:, or vbscript:|must be an https URL/],
    ["six contacts", { ...BASE, contacts: ["a", "b", "c", "d", "e", "f"] }, "contacts", /at most 5/],
  ])("refuses %s", (_label, input, field, message) => {
    const refused = problem(input);
    expect(refused?.field).toBe(field);
    expect(refused?.message).toMatch(message);
  });
});
