import type pg from "pg";
import { readMigrations } from "@/lib/db/migrate";

export type MigrationsHealth =
  | { status: "applied"; count: number }
  | { status: "pending"; missing: string[] }
  | { status: "unknown"; error: string };

/**
 * Compares the migrations shipped in prisma/migrations with the finished ones in `_prisma_migrations` (the table the
 * app's migrator keeps: lib/db/migrate.ts), so an instance started on an older schema does not take traffic.
 */
export async function checkMigrations(pool: pg.Pool, migrationsDir?: string): Promise<MigrationsHealth> {
  let expected: string[];
  try {
    expected = readMigrations(migrationsDir).map((m) => m.name);
  } catch {
    // Not the folder's path: this answer is public.
    return { status: "unknown", error: "this build's migrations folder (prisma/migrations) could not be read" };
  }
  const { rows } = await pool.query<{ exists: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`);
  const done = new Set<string>();
  if (rows[0]?.exists) {
    const applied = await pool.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    for (const row of applied.rows) done.add(row.migration_name);
  }
  const missing = expected.filter((name) => !done.has(name));
  return missing.length === 0 ? { status: "applied", count: expected.length } : { status: "pending", missing };
}
