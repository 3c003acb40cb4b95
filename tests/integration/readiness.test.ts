import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as readyRoute from "@/app/api/ready/route";
import { defaultMigrationsDir, migrate, readMigrations } from "@/lib/db/migrate";
import { checkReadiness } from "@/lib/health/check-readiness";
import { createTestDatabase, type TestDatabase } from "../test-database";

// Readiness (/api/ready) on a real PostgreSQL: a migrated database is ready; one missing a migration is not, and says
// which; an unreachable one is not.

let behind: TestDatabase;
let behindPool: pg.Pool;
let olderBuild: string;
const latest = readMigrations().at(-1)!.name;

beforeAll(async () => {
  // A database migrated by an older build: every migration but the newest.
  behind = await createTestDatabase("ready");
  olderBuild = mkdtempSync(path.join(os.tmpdir(), "portcullis-older-build-"));
  cpSync(defaultMigrationsDir(), olderBuild, { recursive: true });
  rmSync(path.join(olderBuild, latest), { recursive: true });
  await migrate(behind.url, olderBuild);
  behindPool = new pg.Pool({ connectionString: behind.url, max: 1 });
});

afterAll(async () => {
  await behindPool?.end();
  await behind?.drop();
  rmSync(olderBuild, { recursive: true, force: true });
});

const get = () => readyRoute.GET(new Request("http://localhost/api/ready"), { params: Promise.resolve({}) });

describe("GET /api/ready", () => {
  it("answers 200 on a migrated database", async () => {
    const response = await get();
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ status: "ready", database: { status: "up" }, migrations: { status: "applied", count: readMigrations().length } });
  });

  it("is not ready on a database missing a migration, and names it", async () => {
    const readiness = await checkReadiness({ pool: behindPool });
    expect(readiness.ready).toBe(false);
    expect(readiness.database.status).toBe("up");
    expect(readiness.migrations).toEqual({ status: "pending", missing: [latest] });
    // The same database is ready for the older build that migrated it.
    expect((await checkReadiness({ pool: behindPool, migrationsDir: olderBuild })).ready).toBe(true);
  });

  it("is not ready on a database that was never migrated", async () => {
    const empty = await createTestDatabase("ready_empty");
    const pool = new pg.Pool({ connectionString: empty.url, max: 1 });
    try {
      const readiness = await checkReadiness({ pool });
      expect(readiness.ready).toBe(false);
      expect(readiness.migrations).toMatchObject({ status: "pending", missing: readMigrations().map((m) => m.name) });
    } finally {
      await pool.end();
      await empty.drop();
    }
  });

  it("is not ready when the database cannot be reached", async () => {
    // Port 1 on loopback: nothing listens there.
    const pool = new pg.Pool({ connectionString: "postgresql://postgres@127.0.0.1:1/postgres", max: 1, connectionTimeoutMillis: 1_000 });
    try {
      const readiness = await checkReadiness({ pool });
      expect(readiness).toEqual({ ready: false, database: { status: "down", error: "connection refused" } });
    } finally {
      await pool.end();
    }
  });
});
