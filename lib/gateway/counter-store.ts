// Exact rate-limit counters in PostgreSQL, shared by every gateway instance on the database: a call is counted under
// all of its counters or under none, and never while one of them is at its max. See lib/gateway/README.md.
import type pg from "pg";
import type { CounterCheck } from "@/lib/policy/types";

export type ConsumeResult = { ok: true } | { ok: false; exhausted: string[] };

/**
 * The counters the gateway needs. Every method rejects when the database cannot answer; the gateway must then
 * forward nothing (fail closed) and answer with `unavailableRefusal()`.
 */
export interface CounterStore {
  /** Counts one call under every check's key if each is below its `max`; otherwise counts nothing. */
  tryConsume(checks: readonly CounterCheck[]): Promise<ConsumeResult>;
  /** Calls counted under each key (0 for a key never counted), for EvaluationContext.usage and the simulator. */
  usage(keys: readonly string[]): Promise<Map<string, number>>;
  /** Deletes the counters of windows that ended at or before `now` (epoch ms); returns how many. */
  deleteExpired(now: number): Promise<number>;
}

/** A pg.Pool (or a client): anything that runs a query. */
export type Queryable = Pick<pg.Pool, "query">;

/** One key: insert at 1, or add 1 only while below max. The row lock makes concurrent callers queue, so it is exact. */
const CONSUME_ONE = `
INSERT INTO rate_limit_counters AS c (key, window_end, count)
VALUES ($1, to_timestamp($2::float8 / 1000), 1)
ON CONFLICT (key) DO UPDATE SET count = c.count + 1 WHERE c.count < $3::int
RETURNING c.count`;

/**
 * Several keys, all or nothing, in one statement (no explicit transaction, one round trip):
 * 1. `locked` locks the call's existing rows in key order (so two calls cannot deadlock) and, under READ COMMITTED,
 *    reads their latest committed counts: FOR UPDATE waits for a concurrent writer and re-reads the row it left.
 * 2. `verdict`: is every key present, and which are at or over their max?
 * 3. All present and none exhausted: `consumed` adds 1 to each. UPDATE also re-reads the latest version of each row,
 *    and the rows are ours until the statement commits, so no other call can slip in between the check and the add.
 * 4. Some key has no row yet: `created` inserts it at 0 and nothing is counted; the caller runs the statement again.
 *    An ON CONFLICT upsert cannot do all-or-nothing here: a row another call inserts after this statement's
 *    snapshot is invisible to `locked`, and if the upsert then found it full, the other counters would already be
 *    incremented. Rows at 0 count nothing, and are deleted with their window.
 * An exhausted key refuses the call whatever else is missing, with no write at all.
 */
const CONSUME_MANY = `
WITH input AS MATERIALIZED (
  SELECT key, to_timestamp(end_ms / 1000) AS window_end, max
    FROM unnest($1::text[], $2::float8[], $3::int[]) AS t(key, end_ms, max)
),
locked AS MATERIALIZED (
  SELECT c.key, c.count
    FROM rate_limit_counters c
   WHERE c.key = ANY ($1::text[])
   ORDER BY c.key
     FOR UPDATE
),
verdict AS MATERIALIZED (
  SELECT count(l.key) = count(*) AS complete,
         coalesce(array_agg(i.key ORDER BY i.key) FILTER (WHERE l.count >= i.max), '{}') AS exhausted
    FROM input i LEFT JOIN locked l ON l.key = i.key
),
created AS (
  INSERT INTO rate_limit_counters (key, window_end, count)
  SELECT i.key, i.window_end, 0
    FROM input i, verdict v
   WHERE NOT v.complete AND cardinality(v.exhausted) = 0
     AND NOT EXISTS (SELECT 1 FROM locked l WHERE l.key = i.key)
   ORDER BY i.key
  ON CONFLICT (key) DO NOTHING
),
consumed AS (
  UPDATE rate_limit_counters c SET count = c.count + 1
    FROM input i, verdict v
   WHERE c.key = i.key AND v.complete AND cardinality(v.exhausted) = 0
  RETURNING c.key
)
SELECT v.complete, v.exhausted, (SELECT count(*) FROM consumed)::int AS consumed FROM verdict v`;

const USAGE = `SELECT key, count FROM rate_limit_counters WHERE key = ANY ($1::text[])`;
const DELETE_EXPIRED = `DELETE FROM rate_limit_counters WHERE window_end <= to_timestamp($1::float8 / 1000)`;

/** A call's missing rows are created by one attempt and counted by the next; more attempts only under deletion races. */
const MAX_ATTEMPTS = 4;

interface Counter {
  key: string;
  windowEnd: number;
  max: number;
}

/** Validates and merges the checks by key (a key named twice is counted once, under the smaller max). */
function countersOf(checks: readonly CounterCheck[]): Counter[] {
  const byKey = new Map<string, Counter>();
  for (const check of checks) {
    if (typeof check.key !== "string" || check.key === "") throw new TypeError("A counter check needs a non-empty key.");
    if (!Number.isSafeInteger(check.max) || check.max < 1 || check.max > 2_147_483_647) {
      throw new TypeError(`The counter ${check.key} needs a max between 1 and 2147483647; got ${String(check.max)}.`);
    }
    if (!Number.isFinite(check.windowEnd)) throw new TypeError(`The counter ${check.key} needs a finite windowEnd.`);
    const known = byKey.get(check.key);
    if (!known) byKey.set(check.key, { key: check.key, windowEnd: check.windowEnd, max: check.max });
    else known.max = Math.min(known.max, check.max);
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function createCounterStore(db: Queryable): CounterStore {
  async function consumeOne(counter: Counter): Promise<ConsumeResult> {
    const { rowCount } = await db.query({
      name: "portcullis_counter_consume_one",
      text: CONSUME_ONE,
      values: [counter.key, counter.windowEnd, counter.max],
    });
    return rowCount === 1 ? { ok: true } : { ok: false, exhausted: [counter.key] };
  }

  async function consumeMany(counters: Counter[]): Promise<ConsumeResult> {
    const values = [counters.map((c) => c.key), counters.map((c) => c.windowEnd), counters.map((c) => c.max)];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const { rows } = await db.query<{ complete: boolean; exhausted: string[]; consumed: number }>({
        name: "portcullis_counter_consume_many",
        text: CONSUME_MANY,
        values,
      });
      const row = rows[0];
      if (!row) throw new Error("The rate-limit counter statement returned no row.");
      if (row.exhausted.length > 0) return { ok: false, exhausted: row.exhausted };
      if (row.complete) {
        if (row.consumed !== counters.length) {
          throw new Error(`The rate-limit counters changed while being counted (${row.consumed} of ${counters.length}).`);
        }
        return { ok: true };
      }
    }
    throw new Error(`The rate-limit counters ${counters.map((c) => c.key).join(", ")} could not be created.`);
  }

  return {
    async tryConsume(checks) {
      const counters = countersOf(checks);
      if (counters.length === 0) return { ok: true };
      return counters.length === 1 ? consumeOne(counters[0]!) : consumeMany(counters);
    },

    async usage(keys) {
      const unique = [...new Set(keys)];
      const result = new Map<string, number>(unique.map((key) => [key, 0]));
      if (unique.length === 0) return result;
      const { rows } = await db.query<{ key: string; count: number }>({ name: "portcullis_counter_usage", text: USAGE, values: [unique] });
      for (const row of rows) result.set(row.key, row.count);
      return result;
    },

    async deleteExpired(now) {
      if (!Number.isFinite(now)) throw new TypeError("deleteExpired needs a finite time in epoch milliseconds.");
      const { rowCount } = await db.query({ name: "portcullis_counter_delete_expired", text: DELETE_EXPIRED, values: [now] });
      return rowCount ?? 0;
    },
  };
}
