import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { migrate } from "../lib/db/migrate";
import { startEmbeddedDatabase } from "../lib/db/embedded";
import { PASSWORD, uniqueEmail } from "./support/accounts";
import { freePort, startApp } from "./support/app-process";

// How the app starts and lives with its database: the embedded default, and a database that goes away.
test.describe.configure({ mode: "serial", timeout: 240_000 });

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
    const again = await signUp();
    expect(again.status).toBe(409);
    expect(await app.stop()).toBe(0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("health reports a stopped database with 503, and the app recovers by itself when it returns", async () => {
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

    database = await startEmbeddedDatabase({ dataDir, port });
    await expect.poll(async () => (await health()).status, { timeout: 20_000, intervals: [250] }).toBe(200);
  } finally {
    await app.stop();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
