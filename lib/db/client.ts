import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { createLogger } from "@/lib/log/log";

// One pool per process, shared by Prisma and by the hand-written SQL of hot paths. Kept on globalThis so
// development hot reloads do not open a new pool each time.

interface Db {
  pool: pg.Pool;
  prisma: PrismaClient;
}

const globalForDb = globalThis as unknown as { portcullisDb?: Db; portcullisDbStopping?: boolean };

function connect(): Db {
  if (!env.DATABASE_URL) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm run dev` or `npm start`, which start the embedded database when DATABASE_URL is unset.",
    );
  }
  const pool = new pg.Pool({
    connectionString: env.DATABASE_URL,
    max: env.DATABASE_POOL_SIZE,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process: the pool
  // discards it and opens a new one on the next query.
  pool.on("error", (error) => {
    if (!globalForDb.portcullisDbStopping) createLogger("database").error("database connection lost", { error });
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { pool, prisma };
}

function db(): Db {
  globalForDb.portcullisDb ??= connect();
  return globalForDb.portcullisDb;
}

export function getPrisma(): PrismaClient {
  return db().prisma;
}

export function getPool(): pg.Pool {
  return db().pool;
}

/**
 * Shutdown has begun: the database may be stopping too (the embedded one stops on the same signal), so connections
 * it cuts are expected, not "lost".
 */
export function databaseStopping(): void {
  globalForDb.portcullisDbStopping = true;
}
