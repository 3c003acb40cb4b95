// Exact rate-limit counters in PostgreSQL, shared by every gateway instance on the database: a call is counted under
// all of its counters or under none, and never while one of them is at its max. See lib/gateway/README.md.
import type { Queryable } from "@/lib/db/queryable";
import type { CounterCheck } from "@/lib/policy/types";

export type ConsumeResult = { ok: true } | { ok: false; exhausted: string[] };

/**
 * The counters the gateway needs. Every method rejects when the database cannot answer; the gateway must then
 * forward nothing (fail closed) and answer with `unavailableRefusal()`.
 */
export interface CounterStore {
  /**
   * Counts one call under every check's key, in the workspace whose grant or server the keys name, if each is below
   * its `max`; otherwise counts nothing.
   */
  tryConsume(workspaceId: string, checks: readonly CounterCheck[]): Promise<ConsumeResult>;
  /** Calls counted under each key of the workspace (0 for a key never counted), for the simulator. */
  usage(workspaceId: string, keys: readonly string[]): Promise<Map<string, number>>;
  /** Deletes the counters of windows that ended at or before `now` (epoch ms); returns how many. */
  deleteExpired(now: number): Promise<number>;
}

// A counter's row is keyed by its workspace, then its key (migration 20261218000000_hot_tables_workspace_first).

/** One key: insert at 1, or add 1 only while below max. The row lock makes concurrent callers queue, so it is exact. */
const CONSUME_ONE = `
INSERT INTO rate_limit_counters AS c (workspace_id, key, window_end, count)
VALUES ($1::uuid, $2, to_timestamp($3::float8 / 1000), 1)
ON CONFLICT (workspace_id, key) DO UPDATE SET count = c.count + 1 WHERE c.count < $4::int
RETURNING c.count`;

/**
 * Several keys, or several calls at once: `portcullis_consume` (migration 20261126020000_gateway_hot_path) creates
 * missing rows, locks them in key order, grants as many of the `n` calls as every counter has room for (each call is
 * all or nothing), and names the counters that are full.
 */
const CONSUME_GROUP = `SELECT granted, exhausted FROM portcullis_consume($1::uuid, $2::text[], $3::float8[], $4::int[], $5::int)`;

const USAGE = `SELECT key, count FROM rate_limit_counters WHERE workspace_id = $1::uuid AND key = ANY ($2::text[])`;
const DELETE_EXPIRED = `DELETE FROM rate_limit_counters WHERE window_end <= to_timestamp($1::float8 / 1000)`;

interface Counter {
  key: string;
  windowEnd: number;
  max: number;
}

/** Validates and merges the checks by key (a key named twice is counted once, under the smaller max); throws a
 * TypeError for a malformed check. Also used by the admit statement (admit.ts). */
export function countersOf(checks: readonly CounterCheck[]): Counter[] {
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

interface Waiting {
  resolve(result: ConsumeResult): void;
  reject(error: unknown): void;
}

/**
 * Concurrent calls with the same counters are grouped: the first is sent at once; those that arrive while it is in
 * flight wait and are then counted together by one statement, which grants the first `granted` of them. A hot
 * counter then costs one row lock per round trip per instance instead of one per call, and stays exact: the database
 * still decides every grant under the row locks. Each caller waits for the commit of its own statement.
 */
export function createCounterStore(db: Queryable): CounterStore {
  const groups = new Map<string, { workspaceId: string; counters: Counter[]; waiting: Waiting[]; inFlight: boolean }>();

  async function consume(workspaceId: string, counters: Counter[], n: number): Promise<{ granted: number; exhausted: string[] }> {
    if (n === 1 && counters.length === 1) {
      const counter = counters[0]!;
      const { rowCount } = await db.query({
        name: "portcullis_counter_consume_one",
        text: CONSUME_ONE,
        values: [workspaceId, counter.key, counter.windowEnd, counter.max],
      });
      return rowCount === 1 ? { granted: 1, exhausted: [] } : { granted: 0, exhausted: [counter.key] };
    }
    const { rows } = await db.query<{ granted: number; exhausted: string[] }>({
      name: "portcullis_counter_consume_group",
      text: CONSUME_GROUP,
      values: [workspaceId, counters.map((c) => c.key), counters.map((c) => c.windowEnd), counters.map((c) => c.max), n],
    });
    const row = rows[0];
    if (!row || !Number.isInteger(row.granted) || row.granted < 0 || row.granted > n) {
      throw new Error("The rate-limit counter statement returned no valid row.");
    }
    return row;
  }

  function flush(signature: string): void {
    const group = groups.get(signature);
    if (!group || group.inFlight) return;
    if (group.waiting.length === 0) {
      groups.delete(signature);
      return;
    }
    const batch = group.waiting.splice(0, group.waiting.length);
    group.inFlight = true;
    consume(group.workspaceId, group.counters, batch.length).then(
      ({ granted, exhausted }) => {
        batch.forEach((w, i) => w.resolve(i < granted ? { ok: true } : { ok: false, exhausted }));
      },
      (error: unknown) => batch.forEach((w) => w.reject(error)),
    ).finally(() => {
      group.inFlight = false;
      flush(signature);
    });
  }

  return {
    tryConsume(workspaceId, checks) {
      let counters: Counter[];
      try {
        counters = countersOf(checks);
      } catch (error) {
        return Promise.reject(error);
      }
      if (counters.length === 0) return Promise.resolve({ ok: true });
      const signature = `${workspaceId}\u0001${counters.map((c) => `${c.key}\u0000${c.windowEnd}\u0000${c.max}`).join("\u0001")}`;
      let group = groups.get(signature);
      if (!group) {
        group = { workspaceId, counters, waiting: [], inFlight: false };
        groups.set(signature, group);
      }
      const waiting = group.waiting;
      const result = new Promise<ConsumeResult>((resolve, reject) => waiting.push({ resolve, reject }));
      flush(signature);
      return result;
    },

    async usage(workspaceId, keys) {
      const unique = [...new Set(keys)];
      const result = new Map<string, number>(unique.map((key) => [key, 0]));
      if (unique.length === 0) return result;
      const { rows } = await db.query<{ key: string; count: number }>({ name: "portcullis_counter_usage", text: USAGE, values: [workspaceId, unique] });
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
