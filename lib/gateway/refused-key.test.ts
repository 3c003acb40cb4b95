import { describe, expect, it } from "vitest";
import { createRefusalBudget, describeRefusedRequest } from "@/lib/gateway/refused-key";

describe("describeRefusedRequest", () => {
  it("reads the JSON-RPC method, and the tool of a tools/call", () => {
    expect(describeRefusedRequest("POST", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "send_email", arguments: { to: "x" } } }))).toEqual({
      method: "tools/call",
      tool: "send_email",
    });
    expect(describeRefusedRequest("POST", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} }))).toEqual({ method: "initialize", tool: null });
  });

  it("falls back to the HTTP method for anything else", () => {
    expect(describeRefusedRequest("GET", null)).toEqual({ method: "GET", tool: null });
    expect(describeRefusedRequest("DELETE", "")).toEqual({ method: "DELETE", tool: null });
    expect(describeRefusedRequest("POST", null)).toEqual({ method: "POST", tool: null });
    expect(describeRefusedRequest("POST", "{not json")).toEqual({ method: "POST", tool: null });
    expect(describeRefusedRequest("POST", "42")).toEqual({ method: "POST", tool: null });
    expect(describeRefusedRequest("POST", JSON.stringify({ method: 7 }))).toEqual({ method: "POST", tool: null });
    expect(describeRefusedRequest("POST", JSON.stringify([{ method: "tools/list" }]))).toEqual({ method: "batch", tool: null });
  });

  it("keeps what a stranger sends short", () => {
    const described = describeRefusedRequest("POST", JSON.stringify({ method: "m".repeat(5000), params: { name: "t".repeat(5000) } }));
    expect(described.method).toHaveLength(100);
    expect(describeRefusedRequest("POST", JSON.stringify({ method: "tools/call", params: { name: "t".repeat(5000) } })).tool).toHaveLength(200);
  });
});

describe("createRefusalBudget", () => {
  it("allows a burst, then the rate, and reports what it skipped in the next row", () => {
    const budget = createRefusalBudget({ perSecond: 2, burst: 3 });
    const t = 1_000_000;
    expect([1, 2, 3].map(() => budget.take("s", t))).toEqual([{ skipped: 0 }, { skipped: 0 }, { skipped: 0 }]);
    expect(budget.take("s", t)).toBeNull();
    expect(budget.take("s", t + 100)).toBeNull();
    // Half a second later one token is back.
    expect(budget.take("s", t + 500)).toEqual({ skipped: 2 });
    expect(budget.take("s", t + 500)).toBeNull();
    expect(budget.take("s", t + 1000)).toEqual({ skipped: 1 });
  });

  it("keeps servers apart, and forgets the oldest past its size", () => {
    const budget = createRefusalBudget({ perSecond: 1, burst: 1, maxServers: 2 });
    expect(budget.take("a", 0)).toEqual({ skipped: 0 });
    expect(budget.take("a", 0)).toBeNull();
    expect(budget.take("b", 0)).toEqual({ skipped: 0 });
    expect(budget.take("c", 0)).toEqual({ skipped: 0 });
    // "a" was dropped for "c": it starts again with a full bucket.
    expect(budget.take("a", 0)).toEqual({ skipped: 0 });
  });
});
