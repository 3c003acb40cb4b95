import type pg from "pg";
import { getPool } from "@/lib/db/client";
import { checkDatabase, type DatabaseHealth } from "@/lib/health/check-database";
import { checkMigrations, type MigrationsHealth } from "@/lib/health/check-migrations";

export interface Readiness {
  ready: boolean;
  database: DatabaseHealth;
  /** Absent when the database is down: nothing could be compared. */
  migrations?: MigrationsHealth;
}

/** Ready to take traffic: the database answers and every migration this build ships is applied to it. */
export async function checkReadiness(options: { pool?: pg.Pool; migrationsDir?: string; timeoutMs?: number } = {}): Promise<Readiness> {
  const pool = options.pool ?? getPool();
  const database = await checkDatabase(options.timeoutMs, pool);
  if (database.status === "down") return { ready: false, database };
  let migrations: MigrationsHealth;
  try {
    migrations = await checkMigrations(pool, options.migrationsDir);
  } catch (error) {
    migrations = { status: "unknown", error: `the migrations table could not be read: ${error instanceof Error ? error.message : String(error)}`.slice(0, 200) };
  }
  return { ready: migrations.status === "applied", database, migrations };
}
