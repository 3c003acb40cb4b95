import { randomUUID } from "node:crypto";
import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCounterStore, type CounterStore } from "@/lib/gateway/counter-store";
import { compilePolicy, type CompiledPolicy } from "@/lib/policy/compile";
import { evaluate, markRateLimited } from "@/lib/policy/evaluate";
import { validatePolicy } from "@/lib/policy/schema";
import type { CounterCheck, LimitWindow } from "@/lib/policy/types";

// Real PostgreSQL (the database the vitest global setup migrated). Every test uses keys of its own, so tests never
// see each other's counts; the one that deletes expired windows only deletes windows that ended in 2000-2001. Counters
// are a workspace's (its key leads with it): the tests count in a workspace of their own.

let pool: pg.Pool;
let store: CounterStore;
let ws: string;
const opened: pg.Pool[] = [];

function newPool(max = 25): pg.Pool {
  const p = new pg.Pool({ connectionString: process.env.DATABASE_URL, max });
  opened.push(p);
  return p;
}

async function newWorkspace(): Promise<string> {
  const id = randomUUID();
  await pool.query("INSERT INTO workspaces (id, name) VALUES ($1, 'counter-store test')", [id]);
  return id;
}

beforeAll(async () => {
  pool = newPool();
  store = createCounterStore(pool);
  ws = await newWorkspace();
});

afterAll(async () => {
  await Promise.all(opened.map((p) => p.end()));
});

/** A check as the policy core builds it, for a window that has not ended. */
function check(max: number, overrides: Partial<CounterCheck> = {}): CounterCheck {
  const windowStart = Math.floor(Date.now() / 60_000) * 60_000;
  return {
    key: `test-${randomUUID()}:minute:${windowStart}:grant:g1`,
    counter: "test",
    window: "minute",
    max,
    scope: "grant",
    scopeId: "g1",
    windowStart,
    windowEnd: windowStart + 60_000,
    used: 0,
    ...overrides,
  };
}

async function count(key: string): Promise<number> {
  return (await store.usage(ws, [key])).get(key)!;
}

async function rowExists(key: string): Promise<boolean> {
  const { rowCount } = await pool.query("SELECT 1 FROM rate_limit_counters WHERE workspace_id = $1 AND key = $2", [ws, key]);
  return rowCount === 1;
}

function compiled(document: unknown): CompiledPolicy {
  const result = validatePolicy(document);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return compilePolicy(result.document);
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const oks = (results: { ok: boolean }[]) => results.filter((r) => r.ok).length;

describe("tryConsume: never more than max in a window", () => {
  it("lets exactly 10 of 20 concurrent calls through for max 10", async () => {
    const c = check(10);
    const results = await Promise.all(Array.from({ length: 20 }, () => store.tryConsume(ws, [c])));
    expect(oks(results)).toBe(10);
    // Each of the ten refused names the one counter that was full.
    expect(results.flatMap((r) => (r.ok ? [] : [r.exhausted]))).toEqual(Array(10).fill([c.key]));
    expect(await count(c.key)).toBe(10);
  });

  it("lets exactly 10 of 20 through across two instances (two pools on one database)", async () => {
    const a = createCounterStore(newPool(10));
    const b = createCounterStore(newPool(10));
    const c = check(10);
    const results = await Promise.all(Array.from({ length: 20 }, (_, k) => (k % 2 === 0 ? a : b).tryConsume(ws, [c])));
    expect(oks(results)).toBe(10);
    expect(await count(c.key)).toBe(10);
  });

  it("counts two counters of a call together under concurrency: both end at the calls that passed", async () => {
    const tight = check(10);
    const loose = check(15);
    const results = await Promise.all(Array.from({ length: 20 }, () => store.tryConsume(ws, [tight, loose])));
    expect(oks(results)).toBe(10);
    expect(await store.usage(ws, [tight.key, loose.key])).toEqual(new Map([[tight.key, 10], [loose.key, 10]]));
  });

  it("stays exact with two counters across two instances, starting from windows no row exists for yet", async () => {
    const instances = [createCounterStore(newPool(10)), createCounterStore(newPool(10))];
    for (const max of [1, 3, 10]) {
      const tight = check(max);
      const loose = check(max + 5);
      const results = await Promise.all(Array.from({ length: 20 }, (_, k) => instances[k % 2]!.tryConsume(ws, [loose, tight])));
      expect(oks(results)).toBe(max);
      expect(await store.usage(ws, [tight.key, loose.key])).toEqual(new Map([[tight.key, max], [loose.key, max]]));
    }
  });

  it("refuses at max and keeps refusing, without counting the refused calls", async () => {
    const c = check(2);
    expect(await store.tryConsume(ws, [c])).toEqual({ ok: true });
    expect(await store.tryConsume(ws, [c])).toEqual({ ok: true });
    expect(await store.tryConsume(ws, [c])).toEqual({ ok: false, exhausted: [c.key] });
    expect(await store.tryConsume(ws, [c])).toEqual({ ok: false, exhausted: [c.key] });
    expect(await count(c.key)).toBe(2);
  });

  it("allows a call with no counters without asking the database", async () => {
    const closed = new pg.Pool({ connectionString: process.env.DATABASE_URL });
    await closed.end();
    expect(await createCounterStore(closed).tryConsume(ws, [])).toEqual({ ok: true });
  });
});

describe("tryConsume: concurrent calls grouped", () => {
  /** A pool that counts the statements it runs. */
  function counting(): { db: Pick<pg.Pool, "query">; statements: () => number } {
    let n = 0;
    const db = { query: ((...args: Parameters<pg.Pool["query"]>) => (n++, (pool.query as (...a: unknown[]) => unknown)(...args))) as pg.Pool["query"] };
    return { db, statements: () => n };
  }

  it("counts 200 concurrent calls on one counter in far fewer statements, and exactly max of them pass", async () => {
    const { db, statements } = counting();
    const grouped = createCounterStore(db);
    const c = check(150);
    const results = await Promise.all(Array.from({ length: 200 }, () => grouped.tryConsume(ws, [c])));
    expect(results.filter((r) => r.ok)).toHaveLength(150);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.exhausted.includes(c.key))).toBe(true);
    expect(await count(c.key)).toBe(150);
    expect(statements()).toBeLessThan(20);
  });

  it("grants a partial group all or nothing per call, over two counters and two instances", async () => {
    const a = check(30);
    const b = check(1000);
    const stores = [createCounterStore(newPool(5)), createCounterStore(newPool(5))];
    const results = await Promise.all(Array.from({ length: 80 }, (_, i) => stores[i % 2]!.tryConsume(ws, i % 3 ? [a, b] : [b, a])));
    expect(results.filter((r) => r.ok)).toHaveLength(30);
    expect(await count(a.key)).toBe(30);
    expect(await count(b.key)).toBe(30);
  });

  it("fails every waiting caller of a group when the database cannot answer", async () => {
    let calls = 0;
    const failing = createCounterStore({ query: (() => (calls++, Promise.reject(new Error("down")))) as unknown as pg.Pool["query"] });
    const c = check(10);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => failing.tryConsume(ws, [c])));
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(calls).toBeLessThanOrEqual(2);
  });
});

describe("tryConsume: all of a call's counters or none", () => {
  it("leaves the other counter unchanged when one is exhausted", async () => {
    const full = check(1);
    const other = check(10);
    expect(await store.tryConsume(ws, [full, other])).toEqual({ ok: true });
    expect(await store.tryConsume(ws, [full, other])).toEqual({ ok: false, exhausted: [full.key] });
    expect(await store.tryConsume(ws, [other, full])).toEqual({ ok: false, exhausted: [full.key] });
    expect(await store.usage(ws, [full.key, other.key])).toEqual(new Map([[full.key, 1], [other.key, 1]]));
  });

  it("does not even create the other counter's row when one counter is exhausted", async () => {
    const full = check(1);
    expect(await store.tryConsume(ws, [full])).toEqual({ ok: true });
    const fresh = check(10);
    expect(await store.tryConsume(ws, [fresh, full])).toEqual({ ok: false, exhausted: [full.key] });
    expect(await rowExists(fresh.key)).toBe(false);
  });

  it("names every exhausted counter, and only those", async () => {
    const a = check(1);
    const b = check(1);
    const c = check(5);
    await store.tryConsume(ws, [a, b]);
    const result = await store.tryConsume(ws, [a, b, c]);
    expect(result.ok).toBe(false);
    expect(!result.ok && [...result.exhausted].sort()).toEqual([a.key, b.key].sort());
    expect(await count(c.key)).toBe(0);
  });

  it("counts three counters at once when all have room", async () => {
    const checks = [check(3), check(4), check(5)];
    expect(await store.tryConsume(ws, checks)).toEqual({ ok: true });
    expect(await store.tryConsume(ws, checks)).toEqual({ ok: true });
    expect([...(await store.usage(ws, checks.map((c) => c.key))).values()]).toEqual([2, 2, 2]);
  });

  it("counts a key named twice in one call once, under the smaller max", async () => {
    const c = check(3);
    const results = [];
    for (let k = 0; k < 4; k++) results.push(await store.tryConsume(ws, [c, { ...c, max: 2 }]));
    expect(results.map((r) => r.ok)).toEqual([true, true, false, false]);
    expect(await count(c.key)).toBe(2);
  });

  it("refuses checks it cannot count exactly, before touching the database", async () => {
    await expect(store.tryConsume(ws, [check(0)])).rejects.toThrow(/needs a max between 1 and/);
    await expect(store.tryConsume(ws, [check(1.5)])).rejects.toThrow(/needs a max/);
    await expect(store.tryConsume(ws, [check(1, { key: "" })])).rejects.toThrow(/non-empty key/);
    await expect(store.tryConsume(ws, [check(1, { windowEnd: Number.NaN })])).rejects.toThrow(/finite windowEnd/);
  });
});

describe("with the policy core", () => {
  const grant = randomUUID();
  const server = randomUUID();

  /** The gateway's path: read usage, decide, then count; the store has the final word under concurrency. */
  async function call(policy: CompiledPolicy, tool: string, now: number) {
    const probe = evaluate(policy, { tool, args: {} }, { now, grantId: grant, serverId: server, usage: () => 0 });
    const usage = await store.usage(ws, probe.counters.map((c) => c.key));
    const decision = evaluate(policy, { tool, args: {} }, { now, grantId: grant, serverId: server, usage: (key) => usage.get(key) ?? 0 });
    if (decision.decision !== "allow") return decision;
    const counted = await store.tryConsume(ws, decision.counters.filter((c) => decision.increment.includes(c.key)));
    return counted.ok ? decision : markRateLimited(decision, counted.exhausted, now);
  }

  it.each<[LimitWindow, number]>([
    ["second", 1_000],
    ["minute", 60_000],
    ["hour", 3_600_000],
    ["day", 86_400_000],
  ])("a new %s window starts again from 0", async (window, ms) => {
    const counter = `roll_${window}_${randomUUID().slice(0, 8)}`;
    const policy = compiled({ version: "1", default: "deny", tools: { t: { limits: [{ counter, window, max: 2, scope: "grant" }] } } });
    const start = Date.UTC(2030, 0, 1);
    const at = start + ms - 1; // the last millisecond of the first window
    expect((await call(policy, "t", start)).decision).toBe("allow");
    expect((await call(policy, "t", at)).decision).toBe("allow");
    const third = await call(policy, "t", at);
    expect(third).toMatchObject({ decision: "rate_limited", retryAfterSeconds: 1 });
    const next = await call(policy, "t", start + ms);
    expect(next.decision).toBe("allow");
    expect(next.counters[0]).toMatchObject({ windowStart: start + ms, used: 0 });
  });

  it("a counter named by two rules is one budget", async () => {
    const counter = `writes_${randomUUID().slice(0, 8)}`;
    const limit = { counter, window: "hour", max: 3, scope: "server" };
    const policy = compiled({ version: "1", default: "deny", tools: { "create_*": { limits: [limit] }, "update_*": { limits: [limit] } } });
    const now = Date.UTC(2030, 5, 1, 10, 30);
    const tools = ["create_invoice", "update_invoice", "create_user", "update_user", "create_invoice"];
    const decisions = [];
    for (const tool of tools) decisions.push(await call(policy, tool, now));
    expect(decisions.map((d) => d.decision)).toEqual(["allow", "allow", "allow", "rate_limited", "rate_limited"]);
    expect(new Set(decisions.map((d) => d.counters[0]!.key)).size).toBe(1);
    expect(await count(decisions[0]!.counters[0]!.key)).toBe(3);
  });

  it("a counter named by two rules stays exact when both are called at once", async () => {
    const counter = `shared_${randomUUID().slice(0, 8)}`;
    const limit = { counter, window: "minute", max: 10, scope: "server" };
    const policy = compiled({ version: "1", default: "deny", tools: { read_a: { limits: [limit] }, read_b: { limits: [limit] } } });
    const now = Date.UTC(2030, 5, 1, 10, 30, 15);
    const decisions = await Promise.all(Array.from({ length: 20 }, (_, k) => call(policy, k % 2 ? "read_a" : "read_b", now)));
    expect(decisions.filter((d) => d.decision === "allow")).toHaveLength(10);
    expect(decisions.filter((d) => d.decision === "rate_limited").every((d) => d.retryAfterSeconds === 45)).toBe(true);
  });
});

describe("workspaces", () => {
  it("counts the same key in two workspaces as two counters, each to its own max", async () => {
    const other = await newWorkspace();
    const c = check(2);
    const results = await Promise.all(Array.from({ length: 6 }, (_, k) => store.tryConsume(k % 2 ? other : ws, [c])));
    expect(oks(results)).toBe(4);
    expect(await store.usage(ws, [c.key])).toEqual(new Map([[c.key, 2]]));
    expect(await store.usage(other, [c.key])).toEqual(new Map([[c.key, 2]]));
    const rows = await pool.query<{ workspace_id: string; count: number }>(
      "SELECT workspace_id, count FROM rate_limit_counters WHERE key = $1 ORDER BY workspace_id",
      [c.key],
    );
    expect(rows.rows).toEqual([ws, other].sort().map((id) => ({ workspace_id: id, count: 2 })));
  });

  it("counts several keys at once in two workspaces apart (the grouped statement)", async () => {
    const other = await newWorkspace();
    const a = check(3);
    const b = check(5);
    const results = await Promise.all(Array.from({ length: 12 }, (_, k) => store.tryConsume(k % 2 ? other : ws, [a, b])));
    expect(oks(results)).toBe(6);
    for (const workspace of [ws, other]) expect(await store.usage(workspace, [a.key, b.key])).toEqual(new Map([[a.key, 3], [b.key, 3]]));
  });

  it("refuses a workspace that does not exist: nothing is counted for it", async () => {
    await expect(store.tryConsume(randomUUID(), [check(5)])).rejects.toThrow(/foreign key/);
  });
});

describe("usage", () => {
  it("reads the counts, with 0 for keys never counted", async () => {
    const a = check(5);
    await store.tryConsume(ws, [a]);
    await store.tryConsume(ws, [a]);
    const missing = `missing-${randomUUID()}`;
    expect(await store.usage(ws, [a.key, missing, a.key])).toEqual(new Map([[a.key, 2], [missing, 0]]));
  });

  it("answers an empty list without a query", async () => {
    expect(await store.usage(ws, [])).toEqual(new Map());
  });
});

describe("deleteExpired", () => {
  it("deletes the windows that ended at or before now, and keeps the others", async () => {
    const y2000 = Date.UTC(2000, 0, 1);
    const y2001 = Date.UTC(2001, 0, 1);
    const ended = check(5, { windowEnd: y2000 });
    const endsNow = check(5, { windowEnd: y2001 });
    const later = check(5, { windowEnd: y2001 + 1 });
    for (const c of [ended, endsNow, later]) await store.tryConsume(ws, [c]);
    expect(await store.deleteExpired(y2001)).toBeGreaterThanOrEqual(2);
    expect(await rowExists(ended.key)).toBe(false);
    expect(await rowExists(endsNow.key)).toBe(false);
    expect(await rowExists(later.key)).toBe(true);
    expect(await store.deleteExpired(y2001)).toBe(0);
    expect(await store.deleteExpired(y2001 + 1)).toBeGreaterThanOrEqual(1);
    expect(await rowExists(later.key)).toBe(false);
  });

  it("refuses a time that is not a number", async () => {
    await expect(store.deleteExpired(Number.NaN)).rejects.toThrow(/finite time/);
  });
});

describe("fail closed", () => {
  it("rejects, never answers ok, when the database cannot be reached", async () => {
    const port = await closedPort();
    const unreachable = new pg.Pool({ host: "127.0.0.1", port, user: "postgres", database: "postgres", connectionTimeoutMillis: 2_000 });
    opened.push(unreachable);
    const offline = createCounterStore(unreachable);
    await expect(offline.tryConsume(ws, [check(10)])).rejects.toThrow(/ECONNREFUSED/);
    await expect(offline.tryConsume(ws, [check(10), check(10)])).rejects.toThrow(/ECONNREFUSED/);
    await expect(offline.usage(ws, ["k"])).rejects.toThrow(/ECONNREFUSED/);
    await expect(offline.deleteExpired(Date.now())).rejects.toThrow(/ECONNREFUSED/);
  });

  it("rejects when the pool has been closed", async () => {
    const closed = new pg.Pool({ connectionString: process.env.DATABASE_URL });
    await closed.end();
    await expect(createCounterStore(closed).tryConsume(ws, [check(10)])).rejects.toThrow();
  });

  it("rejects when the table is missing (a database that was never migrated)", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query("ALTER TABLE rate_limit_counters RENAME TO rate_limit_counters_hidden");
      await expect(createCounterStore(client).tryConsume(ws, [check(10), check(10)])).rejects.toThrow(/rate_limit_counters/);
    } finally {
      await client.query("ROLLBACK");
      await client.end();
    }
  });
});
