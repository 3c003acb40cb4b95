import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import pg from "pg";
import { migrate } from "../lib/db/migrate";
import { startEmbeddedDatabase } from "../lib/db/embedded";
import { startTestMcpServer } from "../tests/support/test-mcp-server";
import { createTestDatabase } from "../tests/test-database";
import { PASSWORD, uniqueEmail } from "./support/accounts";
import { newApiAccount } from "./support/api-client";
import { freePort, startApp } from "./support/app-process";
import { signInOverHttp } from "./support/sessions";

// How the app starts and lives with its database: the embedded default, and a database that goes away.
test.describe.configure({ mode: "serial", timeout: 240_000 });

/** The test MCP server's private endpoint, registered with its token, list_files allowed, and a grant for it. */
async function listFilesThroughGateway(api: APIRequestContext, upstreamOrigin: string): Promise<{ serverId: string; key: string }> {
  const server = await api.post("/api/v1/servers", {
    data: { name: "private", url: `${upstreamOrigin}/private`, credentials: { type: "bearer", token: "upstream-token" } },
  });
  expect(server.status()).toBe(201);
  const serverId = ((await server.json()) as { id: string }).id;
  const policy = { version: "1", default: "deny", tools: { list_files: {} } };
  expect((await api.post(`/api/v1/servers/${serverId}/policy/versions`, { data: { text: JSON.stringify(policy), message: "allow list_files" } })).status()).toBe(201);
  const { key } = (await (await api.post("/api/v1/grants", { data: { name: "agent", serverIds: [serverId] } })).json()) as { key: string };
  return { serverId, key };
}

function callListFiles(baseUrl: string, serverId: string, key: string, id: number): Promise<Response> {
  return fetch(`${baseUrl}/gateway/${serverId}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${key}`, "mcp-protocol-version": "2025-06-18" },
    body: JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "list_files", arguments: { path: "/" } } }),
  });
}

test("with DATABASE_URL unset, the app starts an embedded PostgreSQL and keeps its data across restarts", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "portcullis-embedded-"));
  const env = { DATABASE_URL: undefined, PORTCULLIS_DATA_DIR: dataDir, NEXTAUTH_SECRET: undefined };
  try {
    let app = await startApp(env);
    expect(app.output()).toContain("DATABASE_URL is not set: starting the embedded PostgreSQL");
    const health = await (await fetch(`${app.baseUrl}/api/health`)).json();
    expect(health).toMatchObject({ status: "ok", database: { status: "up" } });
    const email = uniqueEmail("embedded");
    const signUp = () =>
      fetch(`${app.baseUrl}/api/v1/signup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
    expect((await signUp()).status).toBe(201);
    expect(existsSync(path.join(dataDir, "pg", "PG_VERSION"))).toBe(true);
    expect(existsSync(path.join(dataDir, "auth-secret"))).toBe(true);

    expect(await app.stop()).toBe(0);
    expect(existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(false);

    app = await startApp(env);
    expect(app.output()).toContain("database schema up to date");
    // The account is still there: its owner signs in.
    const cookie = await signInOverHttp(app.baseUrl, email, PASSWORD);
    expect((await fetch(`${app.baseUrl}/api/v1/me`, { headers: { cookie } })).status).toBe(200);
    expect(await app.stop()).toBe(0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("health reports a stopped database with 503, and the app recovers by itself when it returns", async ({ page }) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "portcullis-restart-"));
  const port = await freePort();
  let database = await startEmbeddedDatabase({ dataDir, port });
  await migrate(database.url);
  const app = await startApp({ DATABASE_URL: database.url });
  try {
    const health = () => fetch(`${app.baseUrl}/api/health`).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect((await health()).status).toBe(200);

    await database.stop();
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: "unavailable", database: { status: "down" } });
    expect(JSON.stringify(down.body)).not.toContain(database.url);
    // API calls fail clearly instead of hanging or half-writing.
    const signUp = await fetch(`${app.baseUrl}/api/v1/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: uniqueEmail("down"), password: PASSWORD }),
    });
    expect(signUp.status).toBe(503);
    expect(await signUp.json()).toMatchObject({ code: "database_unavailable" });
    // The public catalog too: its API says so, and its pages say what to do instead of a bare error.
    const search = await fetch(`${app.baseUrl}/api/v1/catalog/search?q=file`);
    expect(search.status).toBe(503);
    expect(await search.json()).toMatchObject({ code: "database_unavailable" });
    for (const path of ["/catalog?q=file", `/catalog/servers/${encodeURIComponent("io.github.modelcontextprotocol/server-filesystem")}`]) {
      await page.goto(app.baseUrl + path);
      await expect(page.getByRole("heading", { name: "This catalog page could not be read just now" })).toBeVisible();
      await expect(page.getByRole("button", { name: "Try again" })).toBeVisible();
      expect(await page.content()).not.toContain(database.url);
    }

    database = await startEmbeddedDatabase({ dataDir, port });
    await expect.poll(async () => (await health()).status, { timeout: 20_000, intervals: [250] }).toBe(200);
  } finally {
    await app.stop();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("the gateway forwards nothing while its database is stopped, and serves again once it is back", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "portcullis-gateway-down-"));
  const port = await freePort();
  let database = await startEmbeddedDatabase({ dataDir, port });
  await migrate(database.url);
  const upstream = await startTestMcpServer({ token: "upstream-token" });
  const app = await startApp({ DATABASE_URL: database.url, PORTCULLIS_UPSTREAM_NETWORKS: "loopback" });
  const { api } = await newApiAccount(app.baseUrl, "gateway-down");
  try {
    const { serverId, key } = await listFilesThroughGateway(api, upstream.origin);

    const call = (id: number) => callListFiles(app.baseUrl, serverId, key, id);
    const before = await call(1);
    expect(before.status).toBe(200);
    expect(await before.text()).toContain("called list_files");
    const seen = upstream.seenAuthorization.length;

    await database.stop();
    for (let id = 2; id <= 4; id++) {
      const down = await call(id);
      expect(down.status).toBe(503);
      const body = (await down.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/database/);
      expect(JSON.stringify(body)).not.toContain(database.url);
    }
    expect(upstream.seenAuthorization.length).toBe(seen);

    database = await startEmbeddedDatabase({ dataDir, port });
    await expect.poll(async () => (await call(5)).status, { timeout: 20_000, intervals: [250] }).toBe(200);
    expect(upstream.seenAuthorization.length).toBeGreaterThan(seen);
  } finally {
    await api.dispose();
    await app.stop();
    await upstream.close();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("a stop right after an answer still records that call's outcome, and the app exits cleanly", async () => {
  const database = await createTestDatabase("shutdown");
  await migrate(database.url);
  const upstream = await startTestMcpServer({ token: "upstream-token" });
  const app = await startApp({ DATABASE_URL: database.url, PORTCULLIS_UPSTREAM_NETWORKS: "loopback", PORTCULLIS_SCHEDULER: "off" });
  const { api } = await newApiAccount(app.baseUrl, "shutdown");
  let exitCode: number | null | undefined;
  try {
    const { serverId, key } = await listFilesThroughGateway(api, upstream.origin);

    const answer = await callListFiles(app.baseUrl, serverId, key, 1);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain("called list_files");
    // Outcomes are written in groups about every 200 ms: stop at once, before the next group would go.
    exitCode = await app.stop();
    expect(exitCode, app.output()).toBe(0);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ upstream_status: number | null }>("SELECT upstream_status FROM audit_events WHERE tool = 'list_files'");
    await client.end();
    expect(rows).toEqual([{ upstream_status: 200 }]);
    expect(app.output()).not.toContain("connection lost");
  } finally {
    await api.dispose();
    if (exitCode === undefined) await app.stop();
    await upstream.close();
    await database.drop();
  }
});
