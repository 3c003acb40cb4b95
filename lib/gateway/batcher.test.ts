import { describe, expect, it } from "vitest";
import { createBatcher, isDataError, sqlState } from "@/lib/gateway/batcher";

// The batcher groups concurrent items into one statement. These tests drive it with a plain function standing in for
// the statement (the real statements are tested against PostgreSQL in tests/integration/gateway-tenants.test.ts).

class PgError extends Error {
  constructor(readonly code: string) {
    super(`pg error ${code}`);
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("isDataError", () => {
  it.each([
    ["22P05", true],
    ["22003", true],
    ["23505", true],
    ["54000", true],
    ["08006", false],
    ["57P01", false],
    ["42P01", false],
  ])("%s -> %s", (code, expected) => {
    expect(isDataError(new PgError(code))).toBe(expected);
  });

  it("is false for errors without a SQLSTATE", () => {
    expect(isDataError(new Error("connect ECONNREFUSED"))).toBe(false);
    expect(sqlState(Object.assign(new Error("x"), { code: "ECONNREFUSED" }))).toBeNull();
  });
});

describe("createBatcher", () => {
  it("groups items that arrive while a statement is in flight", async () => {
    const groups: number[][] = [];
    const batcher = createBatcher<number, number>(async (items) => {
      groups.push([...items]);
      await tick();
      return items.map((i) => i * 2);
    }, { maxInFlight: 1 });
    const results = await Promise.all([1, 2, 3, 4].map((i) => batcher.run(i)));
    expect(results).toEqual([2, 4, 6, 8]);
    expect(groups).toEqual([[1], [2, 3, 4]]);
  });

  it("splits a group the database refused for its data, so only the item at fault fails, and logs each failure", async () => {
    const logged: string[] = [];
    let statements = 0;
    const batcher = createBatcher<number, number>(async (items) => {
      statements++;
      await tick();
      if (items.includes(13)) throw new PgError("22P05");
      return items;
    }, { maxInFlight: 1, name: "test statement", log: (line) => logged.push(line) });
    const first = batcher.run(0);
    const rest = Array.from({ length: 32 }, (_, i) => batcher.run(i + 1));
    const settled = await Promise.allSettled([first, ...rest]);
    expect(settled.filter((s) => s.status === "rejected")).toHaveLength(1);
    expect((settled[13] as PromiseRejectedResult).reason).toMatchObject({ code: "22P05" });
    expect(settled.filter((s) => s.status === "fulfilled").map((s) => (s as PromiseFulfilledResult<number>).value)).toHaveLength(32);
    // Halving finds the item in about 2 log2(n) statements, not n.
    expect(statements).toBeLessThanOrEqual(1 + 2 * 6);
    expect(logged[0]).toMatch(/test statement of 32 request\(s\) failed \(SQLSTATE 22P05\)/);
    expect(logged.every((line) => line.includes("SQLSTATE 22P05"))).toBe(true);
  });

  it("fails the whole group when the database itself fails (nothing to settle apart)", async () => {
    const logged: string[] = [];
    let statements = 0;
    const batcher = createBatcher<number, number>(async () => {
      statements++;
      await tick();
      throw Object.assign(new Error("Connection terminated unexpectedly"), {});
    }, { maxInFlight: 1, log: (line) => logged.push(line) });
    const settled = await Promise.allSettled([1, 2, 3, 4].map((i) => batcher.run(i)));
    expect(settled.every((s) => s.status === "rejected")).toBe(true);
    expect(statements).toBe(2);
    expect(logged).toHaveLength(2);
    expect(logged[1]).toContain("SQLSTATE none");
  });

  it("rejects every item when a statement answers for the wrong number of items", async () => {
    const batcher = createBatcher<number, number>(async () => [1], { maxInFlight: 1, log: () => {} });
    await batcher.run(0);
    const settled = await Promise.allSettled([batcher.run(1), batcher.run(2), batcher.run(3)]);
    // The three queued behind the first went in one statement, which answered for one of them: none is settled by guess.
    expect(settled.map((s) => (s.status === "rejected" ? (s.reason as Error).message : "fulfilled"))).toEqual(
      Array(3).fill("A grouped statement answered 1 of 3 items."),
    );
  });
});
