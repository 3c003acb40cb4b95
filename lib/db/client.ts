import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { createLogger } from "@/lib/log/log";

// One pool per process, shared by Prisma and by the hand-written SQL of hot paths, and a small one of its own for the
// public catalog's reads. Kept on globalThis so development hot reloads do not open new pools each time.
//
// The catalog's pages and API answer anyone, signed in or not, and a search's cost grows with its matches: were they
// served from the main pool, a burst of broad searches would hold every connection and the gateway's calls would
// wait behind them (and fail closed). Their own pool holds at most CATALOG_POOL_SIZE connections, and PostgreSQL
// cancels any of their statements after CATALOG_STATEMENT_TIMEOUT_MS, so what the catalog can take of the database
// is bounded whatever is asked of it.

interface Db {
  pool: pg.Pool;
  prisma: PrismaClient;
}

const globalForDb = globalThis as unknown as { portcullisDb?: Db; portcullisCatalogPool?: pg.Pool; portcullisDbStopping?: boolean };

function databaseUrl(): string {
  if (!env.DATABASE_URL) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm run dev` or `npm start`, which start the embedded database when DATABASE_URL is unset.",
    );
  }
  return env.DATABASE_URL;
}

/** An idle connection dropped by the server (restart, failover) must not crash the process: the pool discards it. */
function logLostConnections(pool: pg.Pool): pg.Pool {
  pool.on("error", (error) => {
    if (!globalForDb.portcullisDbStopping) createLogger("database").error("database connection lost", { error });
  });
  return pool;
}

/** How long a query or a transaction waits for one of the pool's connections before it fails. */
const POOL_WAIT_MS = 5_000;

function connect(): Db {
  const pool = logLostConnections(
    new pg.Pool({ connectionString: databaseUrl(), max: env.DATABASE_POOL_SIZE, connectionTimeoutMillis: POOL_WAIT_MS, idleTimeoutMillis: 30_000 }),
  );
  // A transaction waits for a connection as long as any other query does (Prisma's own default is 2 s): on a busy
  // first start (migrations, the catalog's load) a sign-up failed with a 500 after 2 s that would have got one at 3.
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions: { maxWait: POOL_WAIT_MS } });
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
 * How the public catalog's connections are opened (see the top of the file; bench:catalog opens its own the same way).
 * statement_timeout is a startup parameter, so the server enforces it; a read waiting longer than that for one of the
 * few connections is refused as busy. Sequential scans are off for them: the catalog's reads all have indexes, and
 * for a text in nearly every tool the planner otherwise reads the search table in order, unpacking each row's words
 * (about twice the time of the text index, which needs neither).
 */
export function catalogPoolConfig(connectionString: string): pg.PoolConfig {
  return {
    connectionString,
    max: env.CATALOG_POOL_SIZE,
    statement_timeout: env.CATALOG_STATEMENT_TIMEOUT_MS,
    options: "-c enable_seqscan=off -c jit=off",
    connectionTimeoutMillis: env.CATALOG_STATEMENT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
  };
}

/** The public catalog's own pool (see the top of the file). */
export function getCatalogPool(): pg.Pool {
  globalForDb.portcullisCatalogPool ??= logLostConnections(new pg.Pool(catalogPoolConfig(databaseUrl())));
  return globalForDb.portcullisCatalogPool;
}

/**
 * Shutdown has begun: the database may be stopping too (the embedded one stops on the same signal), so connections
 * it cuts are expected, not "lost".
 */
export function databaseStopping(): void {
  globalForDb.portcullisDbStopping = true;
}
