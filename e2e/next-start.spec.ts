import { request as httpRequest } from "node:http";
import { expect, test } from "@playwright/test";
import { createTestDatabase } from "../tests/test-database";
import { newApiAccount, serverWithGrant } from "./support/api-client";
import { startApp } from "./support/app-process";
import { connectAgent } from "./support/mcp-agent";
import { startServerEverything } from "./support/server-everything";

// `next start` alone (no scripts/server.ts), as a host that runs Next.js apps its own way would: it applies the
// migrations itself (instrumentation.ts) and serves the gateway as an App Router route (app/gateway/[server]/mcp).
test.describe.configure({ timeout: 180_000 });

test("next start alone serves the console's API and a gateway call, enforced and recorded", async () => {
  const database = await createTestDatabase("next_start");
  const upstream = await startServerEverything("streamableHttp");
  // A fresh, unmigrated database: the app migrates it on start.
  const app = await startApp({ DATABASE_URL: database.url, PORTCULLIS_UPSTREAM_NETWORKS: "loopback" }, 90_000, "next-start");
  try {
    expect(app.output()).toContain("applied migrations");
    const { api } = await newApiAccount(app.baseUrl, "next-start");
    const { serverId, key } = await serverWithGrant(api, upstream.url, { version: "1", default: "deny", tools: { echo: {} } }, "everything");

    const agent = await connectAgent(app.baseUrl, serverId, key);
    try {
      const { tools } = await agent.listTools();
      expect(tools.map((t) => t.name)).toEqual(["echo"]);
      const result = await agent.callTool({ name: "echo", arguments: { message: "through next start" } });
      expect(JSON.stringify(result.content)).toContain("through next start");
      // A tool the policy hides is refused here too.
      await expect(agent.callTool({ name: "get-env", arguments: {} })).rejects.toMatchObject({ code: -32602 });
    } finally {
      await agent.close();
    }

    // A wrong key: the gateway's own JSON 401, not a console page.
    const refused = await fetch(`${app.baseUrl}/gateway/${serverId}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: "Bearer pcg_wrong" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { message: expect.stringContaining("not valid for this server") } });

    // A page that rebinds its DNS name to this machine sends its own name as Host: refused (421), as under npm start.
    const rebound = await new Promise<number>((resolve, reject) => {
      const { port } = new URL(app.baseUrl);
      const req = httpRequest(
        { host: "127.0.0.1", port, path: `/gateway/${serverId}/mcp`, method: "POST", headers: { host: `evil.example:${port}`, "content-type": "application/json", authorization: `Bearer ${key}` } },
        (res) => (res.resume(), resolve(res.statusCode ?? 0)),
      );
      req.on("error", reject);
      req.end(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }));
    });
    expect(rebound).toBe(421);

    // Where clients look for OAuth on that 401: the authorization server's documents and endpoints are served here
    // too, and the other places clients try answer JSON saying where the documents are, never a console page.
    expect(refused.headers.get("www-authenticate")).toContain(`resource_metadata="${app.baseUrl}/.well-known/oauth-protected-resource/gateway/${serverId}/mcp"`);
    const resourceMetadata = await fetch(`${app.baseUrl}/.well-known/oauth-protected-resource/gateway/${serverId}/mcp`);
    expect(resourceMetadata.status).toBe(200);
    expect(await resourceMetadata.json()).toMatchObject({ resource: `${app.baseUrl}/gateway/${serverId}/mcp`, authorization_servers: [app.baseUrl] });
    const serverMetadata = await fetch(`${app.baseUrl}/.well-known/oauth-authorization-server`);
    expect(await serverMetadata.json()).toMatchObject({ issuer: app.baseUrl, registration_endpoint: `${app.baseUrl}/register` });
    const registered = await fetch(`${app.baseUrl}/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_name: "next start client", redirect_uris: ["http://127.0.0.1:9/callback"] }),
    });
    expect(registered.status).toBe(201);
    const elsewhere = await fetch(`${app.baseUrl}/gateway/${serverId}/mcp/.well-known/openid-configuration`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.headers.get("content-type")).toContain("application/json");
    expect(((await elsewhere.json()) as { error_description: string }).error_description).toContain("has no OAuth document at this address");

    await expect
      .poll(async () => {
        const page = (await (await api.get(`/api/v1/audit-events?serverId=${serverId}&method=tools/call`)).json()) as { events: { tool: string; decision: string; upstreamStatus: number | null }[] };
        return page.events.map((e) => `${e.tool}:${e.decision}:${e.upstreamStatus ?? "-"}`).sort();
      })
      .toEqual(["echo:allow:200", "get-env:deny:-"]);

    // The public catalog is there too: next start loads the committed snapshot as npm start does.
    await expect.poll(() => app.output(), { timeout: 60_000 }).toMatch(/catalog snapshot loaded: \d+ servers, \d+ tools/);
    const search = await fetch(`${app.baseUrl}/api/v1/catalog/search?q=write_file`);
    expect(search.status).toBe(200);
    const found = (await search.json()) as { results: { name: string; server: { name: string } }[] };
    expect(found.results.map((r) => `${r.server.name} ${r.name}`)).toContain("io.github.modelcontextprotocol/server-filesystem write_file");
  } finally {
    await app.stop();
    await upstream.stop();
    await database.drop();
  }
});
