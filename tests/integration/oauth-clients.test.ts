import { randomUUID } from "node:crypto";
import { OAuthClientInformationFullSchema } from "@modelcontextprotocol/sdk/shared/auth.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findClient } from "@/lib/oauth/clients";
import { registerClient } from "@/lib/oauth/register-client";
import { resolveClient } from "@/lib/oauth/resolve-client";
import { oauthRefusal } from "../support/oauth-fixtures";

// Dynamic Client Registration (RFC 7591) on the real PostgreSQL: public clients only, redirect URIs by OAuth 2.1's
// rules, bounded sizes. Every refusal is checked by its exact OAuth error code.

let pool: pg.Pool;

beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 5 });
});

afterAll(async () => {
  await pool?.end();
});

/** Clients stored with this software_id: each test uses its own, since other test files register clients at the same time. */
const countClients = async (softwareId: string) =>
  Number((await pool.query(`SELECT count(*) FROM oauth_clients WHERE metadata->>'software_id' = $1`, [softwareId])).rows[0].count);

describe("registering a client", () => {
  it("stores a public client and answers its client information, which the SDK's schema accepts", async () => {
    const now = new Date("2026-12-15T10:00:00.000Z");
    const information = await registerClient(
      pool,
      {
        client_name: "Claude Code",
        redirect_uris: ["http://localhost:51234/callback"],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "none",
        logo_uri: "https://client.example.com/logo.png",
        client_secret: "ignored",
      },
      now,
    );
    expect(OAuthClientInformationFullSchema.parse(information)).toEqual(information);
    expect(information).toEqual({
      client_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      client_id_issued_at: Math.floor(now.getTime() / 1000),
      client_name: "Claude Code",
      redirect_uris: ["http://localhost:51234/callback"],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      logo_uri: "https://client.example.com/logo.png",
      scope: "mcp",
    });
    expect(information).not.toHaveProperty("client_secret");
    const stored = await findClient(pool, information.client_id);
    expect(stored).toMatchObject({
      clientId: information.client_id,
      kind: "registered",
      clientName: "Claude Code",
      clientUri: null,
      logoUri: "https://client.example.com/logo.png",
      redirectUris: ["http://localhost:51234/callback"],
      createdAt: now,
      fetchedAt: null,
      expiresAt: null,
    });
    expect(stored?.metadata).not.toHaveProperty("client_secret");
    expect(await resolveClient(pool, information.client_id)).toEqual(stored);
  });

  it("registers a client that leaves out token_endpoint_auth_method as a public one", async () => {
    const information = await registerClient(pool, { redirect_uris: ["https://client.example.com/cb"] });
    expect(information.token_endpoint_auth_method).toBe("none");
  });

  it.each([
    ["a confidential client (client_secret_basic)", { token_endpoint_auth_method: "client_secret_basic" }, "invalid_client_metadata", /must be "none"/],
    ["client_secret_post", { token_endpoint_auth_method: "client_secret_post" }, "invalid_client_metadata", /must be "none"/],
    ["an http redirect URI off loopback", { redirect_uris: ["http://client.example.com/cb"] }, "invalid_redirect_uri", /other than loopback/],
    ["a redirect URI with a fragment", { redirect_uris: ["https://client.example.com/cb#x"] }, "invalid_redirect_uri", /fragment/],
    ["a javascript: redirect URI", { redirect_uris: ["javascript:alert(document.cookie)"] }, "invalid_redirect_uri", /javascript/],
    ["no redirect URIs", { redirect_uris: [] }, "invalid_redirect_uri", /at least one/],
    ["eleven redirect URIs", { redirect_uris: Array.from({ length: 11 }, (_, i) => `https://client.example.com/${i}`) }, "invalid_redirect_uri", /more than 10/],
    ["a 201-character name", { client_name: "n".repeat(201) }, "invalid_client_metadata", /client_name is longer than 200/],
    ["the implicit grant", { grant_types: ["implicit"] }, "invalid_client_metadata", /"implicit" is not supported/],
    ["a redirect_uris string", { redirect_uris: "https://client.example.com/cb" }, "invalid_redirect_uri", /redirect_uris/],
  ])("refuses %s and stores nothing", async (_label, change, code, message) => {
    const softwareId = randomUUID();
    const body = { client_name: "x", redirect_uris: ["https://client.example.com/cb"], software_id: softwareId };
    // The same body without the change registers, so what is refused is the change alone.
    await registerClient(pool, body);
    const refused = await oauthRefusal(registerClient(pool, { ...body, ...change }));
    expect(refused?.code).toBe(code);
    expect(refused?.message).toMatch(message);
    expect(await countClients(softwareId)).toBe(1);
  });

  it("refuses a body that is not an object", async () => {
    expect((await oauthRefusal(registerClient(pool, "redirect_uris=x")))?.code).toBe("invalid_client_metadata");
  });

  it("does not know a client id it never issued", async () => {
    expect(await oauthRefusal(resolveClient(pool, "3f1c5a4e-0000-4000-8000-000000000000"))).toEqual({
      code: "invalid_client",
      message: "This client id is unknown to Portcullis: register the client again (dynamic client registration) or use a client id metadata document URL.",
    });
  });
});
