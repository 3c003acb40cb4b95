import { cpSync, mkdtempSync, appendFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultMigrationsDir, migrate, readMigrations } from "@/lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "../test-database";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase("migrate");
});

afterAll(async () => {
  await db?.drop();
});

describe("migrate", () => {
  it("applies every migration exactly once when several instances start together", async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => migrate(db.url)));
    const names = readMigrations().map((m) => m.name);
    const applied = results.flatMap((r) => r.applied);
    expect(applied.sort()).toEqual([...names].sort());
    expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(`SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`);
    await client.end();
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);
  });

  it("does nothing on a database that is up to date", async () => {
    const result = await migrate(db.url);
    expect(result).toEqual({ applied: [], alreadyApplied: readMigrations().length });
  });

  it("refuses to start when an applied migration was edited", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "portcullis-migrations-"));
    cpSync(defaultMigrationsDir(), dir, { recursive: true });
    const first = readMigrations(dir)[0]!;
    appendFileSync(path.join(dir, first.name, "migration.sql"), "\n-- edited\n");
    await expect(migrate(db.url, dir)).rejects.toThrow(/was changed after it was applied/);
  });

  it("rolls back a failing migration and records nothing", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "portcullis-migrations-"));
    cpSync(defaultMigrationsDir(), dir, { recursive: true });
    const broken = path.join(dir, "29990101000000_broken");
    cpSync(path.join(dir, readMigrations(dir)[0]!.name), broken, { recursive: true });
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path.join(broken, "migration.sql"), `CREATE TABLE "half_done" (id int);\nSELECT * FROM no_such_table;`);
    await expect(migrate(db.url, dir)).rejects.toThrow(/Migration 29990101000000_broken failed/);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const table = await client.query(`SELECT to_regclass('public.half_done') AS t`);
    const recorded = await client.query(`SELECT 1 FROM _prisma_migrations WHERE migration_name = '29990101000000_broken'`);
    await client.end();
    expect(table.rows[0].t).toBeNull();
    expect(recorded.rowCount).toBe(0);
  });
});
