import { describe, expect, it } from "vitest";
import { classifyMessage, type ParsedMessage } from "@/lib/mcp/json-rpc";
import {
  LATEST_PROTOCOL_VERSION,
  PROTOCOL_VERSIONS,
  batchingAllowed,
  isProtocolVersion,
  planBatch,
  requestProtocolVersion,
  resultTypeRequired,
} from "@/lib/mcp/protocol-version";

const request = (id: number, method: string): ParsedMessage => classifyMessage({ jsonrpc: "2.0", id, method });
const notification = (method: string): ParsedMessage => classifyMessage({ jsonrpc: "2.0", method });
const response = (id: number): ParsedMessage => classifyMessage({ jsonrpc: "2.0", id, result: {} });
const invalid: ParsedMessage = classifyMessage(5);

describe("protocol versions", () => {
  it("lists the four revisions the gateway speaks, oldest first, latest last", () => {
    expect(PROTOCOL_VERSIONS).toEqual(["2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"]);
    expect(LATEST_PROTOCOL_VERSION).toBe("2026-07-28");
  });

  it.each<[unknown, boolean]>([
    ["2025-03-26", true],
    ["2025-06-18", true],
    ["2025-11-25", true],
    ["2026-07-28", true],
    ["2024-11-05", false],
    ["2025-03-27", false],
    ["", false],
    [null, false],
    [20250326, false],
  ])("isProtocolVersion(%j) is %s", (value, expected) => {
    expect(isProtocolVersion(value)).toBe(expected);
  });

  it.each<[string | null | undefined, boolean]>([
    ["2025-03-26", true],
    ["2025-06-18", false],
    ["2025-11-25", false],
    ["2026-07-28", false],
    ["2024-11-05", false],
    ["nonsense", false],
    [null, false],
    [undefined, false],
  ])("batching under %s: %s", (version, expected) => {
    expect(batchingAllowed(version)).toBe(expected);
  });
});

describe("planBatch", () => {
  it.each(["2025-06-18", "2025-11-25", "2026-07-28"])("refuses the whole batch under %s, naming the version", (version) => {
    const plan = planBatch([request(1, "tools/list"), request(2, "tools/call")], version);
    expect(plan).toMatchObject({ kind: "refuse", status: 400, error: { jsonrpc: "2.0", id: null, error: { code: -32600 } } });
    expect(plan.kind === "refuse" && plan.error.error.message).toContain(`MCP protocol version ${version}`);
    expect(plan.kind === "refuse" && plan.error.error.message).toContain("send each message in its own request");
  });

  it("refuses a batch when the version is unknown", () => {
    const plan = planBatch([request(1, "ping")], null);
    expect(plan).toMatchObject({ kind: "refuse", status: 400 });
    expect(plan.kind === "refuse" && plan.error.error.message).toContain("this session's protocol version");
  });

  it("hands back every element under 2025-03-26, invalid ones included, in order", () => {
    const items = [request(1, "tools/call"), notification("notifications/progress"), invalid, request(2, "tools/list")];
    expect(planBatch(items, "2025-03-26")).toEqual({ kind: "check", items });
  });

  it("allows a batch of responses under 2025-03-26", () => {
    expect(planBatch([response(1), response(2)], "2025-03-26")).toMatchObject({ kind: "check" });
  });

  it.each<[string, ParsedMessage[], RegExp]>([
    ["initialize in a batch", [request(1, "initialize"), request(2, "tools/list")], /initialize request must not be part of a JSON-RPC batch/],
    ["initialize alone in a batch", [request(1, "initialize")], /initialize/],
    ["responses mixed with requests", [response(1), request(2, "ping")], /either requests and notifications or responses/],
    ["responses mixed with notifications", [notification("notifications/x"), response(3)], /not both/],
  ])("refuses %s even under 2025-03-26", (_why, items, message) => {
    const plan = planBatch(items, "2025-03-26");
    expect(plan).toMatchObject({ kind: "refuse", status: 400, error: { id: null, error: { code: -32600 } } });
    expect(plan.kind === "refuse" && plan.error.error.message).toMatch(message);
  });
});

describe("the version a request is made under", () => {
  const call = (meta?: Record<string, unknown>) => ({ jsonrpc: "2.0" as const, id: 1, method: "tools/call", params: { name: "t", ...(meta ? { _meta: meta } : {}) } });

  it.each<[string, ReturnType<typeof call>, string | null, string | null]>([
    ["its own envelope wins", call({ "io.modelcontextprotocol/protocolVersion": "2026-07-28" }), "2025-11-25", "2026-07-28"],
    ["without an envelope, the exchange's version", call(), "2025-11-25", "2025-11-25"],
    ["a progress token alone is no envelope", call({ progressToken: 1 }), "2025-06-18", "2025-06-18"],
    ["a version that is not a string is ignored", call({ "io.modelcontextprotocol/protocolVersion": 2026 }), null, null],
  ])("%s", (_, request, exchange, expected) => {
    expect(requestProtocolVersion(request, exchange)).toBe(expected);
  });

  it.each<[string | null, boolean]>([
    ["2026-07-28", true],
    ["2026-12-01", true],
    ["2025-11-25", false],
    ["2025-03-26", false],
    [null, false],
  ])("results under %s name their type: %s", (version, required) => {
    expect(resultTypeRequired(version)).toBe(required);
  });
});
