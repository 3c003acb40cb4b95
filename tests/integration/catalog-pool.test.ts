import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { boundedCatalogRead } from "@/lib/catalog/catalog-busy";
import { catalogPoolConfig } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/api-error";

// The public catalog's own pool (lib/db/client.ts): PostgreSQL stops a read that runs past the time limit, a read
// that cannot get one of the few connections in that time is refused, and both say what to do rather than "the
// database cannot be reached". Against the real server: these are its cancellations and the pool's own waits.

const url = process.env.DATABASE_URL!;
const pools: pg.Pool[] = [];
const open = (config: pg.PoolConfig) => {
  const pool = new pg.Pool({ ...catalogPoolConfig(url), ...config });
  pools.push(pool);
  return pool;
};

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
});

async function refusal(work: Promise<unknown>): Promise<ApiError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("the public catalog's pool", () => {
  it("opens connections with the time limit, without sequential scans or JIT", async () => {
    const pool = open({});
    const { rows } = await pool.query<{ timeout: string; seqscan: string; jit: string }>(
      "SELECT current_setting('statement_timeout') AS timeout, current_setting('enable_seqscan') AS seqscan, current_setting('jit') AS jit",
    );
    expect(rows[0]).toEqual({ timeout: `${env.CATALOG_STATEMENT_TIMEOUT_MS / 1000}s`, seqscan: "off", jit: "off" });
    expect(catalogPoolConfig(url).max).toBe(env.CATALOG_POOL_SIZE);
  });

  it("has a read past the time limit stopped by the server, and answers that it was too slow", async () => {
    const pool = open({ statement_timeout: 200 });
    const started = performance.now();
    const error = await refusal(boundedCatalogRead("This search", () => pool.query("SELECT pg_sleep(5)")));
    expect(performance.now() - started).toBeLessThan(4_000);
    expect(error).toMatchObject({ status: 503, code: "catalog_query_too_slow", headers: { "retry-after": "2" } });
    expect(error.message).toMatch(/^This search took longer than the catalog allows/);
    // The connection is still good for the next read.
    expect((await pool.query("SELECT 1 AS one")).rows[0].one).toBe(1);
  });

  it("refuses a read that waits too long for a connection as busy, and serves the next one once a connection is free", async () => {
    const pool = open({ max: 1, connectionTimeoutMillis: 200 });
    const held = await pool.connect();
    const error = await refusal(boundedCatalogRead("This search", () => pool.query("SELECT 1")));
    expect(error).toMatchObject({ status: 503, code: "catalog_busy", headers: { "retry-after": "2" } });
    held.release();
    expect((await boundedCatalogRead("This search", () => pool.query("SELECT 2 AS two"))).rows[0].two).toBe(2);
  });

  it("lets other errors through as they are", async () => {
    const pool = open({});
    const error = await boundedCatalogRead("This search", () => pool.query("SELECT * FROM no_such_table")).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ApiError);
    expect((error as { code?: string }).code).toBe("42P01");
  });
});
