import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  JSON_RPC_ERROR,
  MAX_MESSAGE_DEPTH,
  classifyMessage,
  isJsonRpcId,
  jsonRpcError,
  parseJsonRpcBody,
  parseJsonRpcValue,
  type ParsedMessage,
} from "@/lib/mcp/json-rpc";

const V = { jsonrpc: "2.0" } as const;

/** `depth` arrays, one inside the other, around a number. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let k = 0; k < depth; k++) value = [value];
  return value;
}

describe("classifyMessage", () => {
  it.each<[string, unknown, Exclude<ParsedMessage["kind"], "invalid">]>([
    ["a request with a number id", { ...V, id: 1, method: "tools/list" }, "request"],
    ["a request with a string id", { ...V, id: "a-1", method: "ping" }, "request"],
    ["a request with object params", { ...V, id: 0, method: "tools/call", params: { name: "x" } }, "request"],
    ["a request with array params", { ...V, id: 2, method: "sum", params: [1, 2] }, "request"],
    ["a request with an empty string id", { ...V, id: "", method: "ping" }, "request"],
    ["a notification", { ...V, method: "notifications/initialized" }, "notification"],
    ["a notification with params", { ...V, method: "notifications/progress", params: { progress: 1 } }, "notification"],
    ["a success response", { ...V, id: 3, result: {} }, "response"],
    ["a success response with a null result", { ...V, id: 3, result: null }, "response"],
    ["an error response", { ...V, id: "x", error: { code: -32601, message: "no" } }, "response"],
    ["an error response with id null", { ...V, id: null, error: { code: -32700, message: "bad" } }, "response"],
    ["an error response with data", { ...V, id: 4, error: { code: 1, message: "m", data: { a: 1 } } }, "response"],
    ["extra members are kept", { ...V, id: 1, method: "ping", extra: true }, "request"],
  ])("%s is a %s", (_why, value, kind) => {
    const item = classifyMessage(value);
    expect(item.kind).toBe(kind);
    if (item.kind === "invalid") throw new Error(item.error.error.message);
    expect(item.message).toBe(value);
  });

  it.each<[string, unknown, string | number | null, RegExp]>([
    ["null", null, null, /must be a JSON object/],
    ["a number", 42, null, /must be a JSON object/],
    ["a string", "hello", null, /must be a JSON object/],
    ["an array inside a batch", [{ ...V, id: 1, method: "ping" }], null, /must be a JSON object/],
    ["no jsonrpc", { id: 1, method: "ping" }, 1, /`jsonrpc` must be "2.0"/],
    ["jsonrpc 1.0", { jsonrpc: "1.0", id: 1, method: "ping" }, 1, /`jsonrpc` must be "2.0"/],
    ["jsonrpc as a number", { jsonrpc: 2, id: "a", method: "ping" }, "a", /`jsonrpc` must be "2.0"/],
    ["a method that is not a string", { ...V, id: 1, method: 5 }, 1, /`method` must be a string/],
    ["a method of null", { ...V, id: 1, method: null }, 1, /`method` must be a string/],
    ["params as a string", { ...V, id: 7, method: "ping", params: "x" }, 7, /`params` must be an object or an array/],
    ["params as null", { ...V, id: 7, method: "ping", params: null }, 7, /`params` must be an object or an array/],
    ["params as a number on a notification", { ...V, method: "n", params: 1 }, null, /`params`/],
    ["a request id of null", { ...V, id: null, method: "ping" }, null, /`id` must be a string or an integer/],
    ["a fractional id", { ...V, id: 1.5, method: "ping" }, null, /`id` must be a string or an integer/],
    ["an id beyond exact integers", { ...V, id: 2 ** 53, method: "ping" }, null, /`id` must be a string or an integer/],
    ["an object id", { ...V, id: {}, method: "ping" }, null, /`id` must be a string or an integer/],
    ["a boolean id", { ...V, id: true, method: "ping" }, null, /`id` must be a string or an integer/],
    ["a request carrying a result", { ...V, id: 1, method: "tools/call", result: {} }, 1, /must not carry `result` or `error`/],
    ["a request carrying an error", { ...V, id: 1, method: "ping", error: { code: 1, message: "m" } }, 1, /must not carry/],
    ["a tools/call without an id", { ...V, method: "tools/call", params: { name: "x" } }, null, /tools\/call must be a request with an `id`/],
    ["neither method nor result", { ...V, id: 9 }, 9, /needs `method`/],
    ["both result and error", { ...V, id: 9, result: 1, error: { code: 1, message: "m" } }, 9, /both `result` and `error`/],
    ["an error without a code", { ...V, id: 9, error: { message: "m" } }, 9, /integer `code`/],
    ["an error with a fractional code", { ...V, id: 9, error: { code: 1.5, message: "m" } }, 9, /integer `code`/],
    ["an error that is a string", { ...V, id: 9, error: "boom" }, 9, /integer `code`/],
    ["a result without an id", { ...V, result: {} }, null, /needs the `id`/],
    ["a result with id null", { ...V, id: null, result: {} }, null, /needs the `id`/],
    ["a result with a bad id", { ...V, id: [1], result: {} }, null, /needs the `id`/],
    ["a message nested too deep", { ...V, id: 5, method: "x", params: { a: nested(MAX_MESSAGE_DEPTH) } }, 5, /nested more than 64 levels/],
  ])("%s is an invalid request", (_why, value, id, message) => {
    const item = classifyMessage(value);
    expect(item.kind).toBe("invalid");
    if (item.kind !== "invalid") return;
    expect(item.error).toMatchObject({ jsonrpc: "2.0", id, error: { code: JSON_RPC_ERROR.INVALID_REQUEST } });
    expect(item.error.error.message).toMatch(/^Invalid Request: /);
    expect(item.error.error.message).toMatch(message);
  });

  it("accepts a message exactly at the depth limit", () => {
    // The message is level 1 and params level 2, so MAX - 2 arrays inside params bring the deepest one to level MAX.
    expect(classifyMessage({ ...V, id: 1, method: "x", params: { a: nested(MAX_MESSAGE_DEPTH - 2) } }).kind).toBe("request");
    expect(classifyMessage({ ...V, id: 1, method: "x", params: { a: nested(MAX_MESSAGE_DEPTH - 1) } }).kind).toBe("invalid");
  });

  it.each([
    [{ ...V, id: 1, method: "tools/call\u0000" }, "method", /U\+0000/],
    [{ ...V, id: 1, method: "tools/call", params: { name: "x\u0000" } }, "params.name", /U\+0000/],
    [{ ...V, id: 1, method: "tools/call", params: { name: "x\ud800" } }, "params.name", /unpaired UTF-16 surrogate/],
    [{ ...V, id: 1, method: "tools/call", params: { name: "x", arguments: { "a\u0000": 1 } } }, 'the key params.arguments["a\\u0000"]', /U\+0000/],
    [{ ...V, id: 1, method: "tools/call", params: { name: "x", arguments: { a: "\udc00" } } }, "params.arguments.a", /surrogate/],
    [{ ...V, id: 1, method: "initialize", params: { protocolVersion: "2025-06-18\u0000" } }, "params.protocolVersion", /U\+0000/],
    [{ ...V, id: "a\u0000", method: "ping" }, "id", /U\+0000/],
  ])("refuses text PostgreSQL cannot store, naming its place: %j", (value, place, what) => {
    const item = classifyMessage(value);
    expect(item.kind).toBe("invalid");
    if (item.kind !== "invalid") return;
    expect(item.error.error.message).toContain(`Invalid Request: ${place} holds`);
    expect(item.error.error.message).toMatch(what);
    expect(item.error.error.message).not.toMatch(/[\u0000\ud800-\udfff]/);
  });

  it("lets U+0000 through inside a tool's argument values, which are forwarded and never stored", () => {
    expect(classifyMessage({ ...V, id: 1, method: "tools/call", params: { name: "x", arguments: { a: "b\u0000", c: ["\u0000"] } } }).kind).toBe("request");
    expect(classifyMessage({ ...V, id: 1, method: "resources/read", params: { uri: "file:///a\u0000" } }).kind).toBe("invalid");
  });

  it("uses own properties only, so an inherited id or method counts for nothing", () => {
    const value = Object.create({ id: 1, method: "tools/call" }) as Record<string, unknown>;
    value.jsonrpc = "2.0";
    expect(classifyMessage(value)).toMatchObject({ kind: "invalid", error: { id: null } });
  });
});

describe("parseJsonRpcBody", () => {
  it.each<[string, string, number]>([
    ["an empty body", "", JSON_RPC_ERROR.PARSE_ERROR],
    ["truncated JSON", '{"jsonrpc":"2.0","id":1', JSON_RPC_ERROR.PARSE_ERROR],
    ["a trailing comma", '{"jsonrpc":"2.0","id":1,}', JSON_RPC_ERROR.PARSE_ERROR],
    ["single quotes", "{'jsonrpc':'2.0'}", JSON_RPC_ERROR.PARSE_ERROR],
    ["an empty batch", "[]", JSON_RPC_ERROR.INVALID_REQUEST],
    ["an empty batch with spaces", " [ ] ", JSON_RPC_ERROR.INVALID_REQUEST],
  ])("%s is an error for the whole body, with id null", (_why, text, code) => {
    const body = parseJsonRpcBody(text);
    expect(body).toMatchObject({ kind: "error", error: { jsonrpc: "2.0", id: null, error: { code } } });
  });

  it("names parse errors as such", () => {
    const body = parseJsonRpcBody("{nope");
    expect(body.kind === "error" && body.error.error.message).toMatch(/^Parse error: the body is not valid JSON/);
  });

  it("parses a single message", () => {
    const body = parseJsonRpcBody('{"jsonrpc":"2.0","id":1,"method":"tools/list"}');
    expect(body).toEqual({ kind: "single", item: { kind: "request", message: { jsonrpc: "2.0", id: 1, method: "tools/list" } } });
  });

  it("parses a single invalid value as one invalid message", () => {
    expect(parseJsonRpcBody("42")).toMatchObject({ kind: "single", item: { kind: "invalid", error: { id: null } } });
    expect(parseJsonRpcBody("null")).toMatchObject({ kind: "single", item: { kind: "invalid" } });
  });

  it("parses a batch element by element, invalid ones included", () => {
    const body = parseJsonRpcBody(
      JSON.stringify([{ ...V, id: 1, method: "ping" }, 5, { ...V, method: "notifications/x" }, { ...V, id: 2, result: {} }, { ...V, id: 3 }]),
    );
    expect(body.kind).toBe("batch");
    if (body.kind !== "batch") return;
    expect(body.items.map((i) => i.kind)).toEqual(["request", "invalid", "notification", "response", "invalid"]);
    expect(body.items[4]).toMatchObject({ kind: "invalid", error: { id: 3 } });
  });

  it("keeps the last of duplicate keys, as JSON.parse does (the gateway forwards what it checked)", () => {
    const body = parseJsonRpcBody('{"jsonrpc":"2.0","id":1,"method":"tools/list","method":"tools/call","params":{"name":"x"}}');
    expect(body).toMatchObject({ kind: "single", item: { kind: "request", message: { method: "tools/call" } } });
  });

  it("answers a deeply nested body without throwing", () => {
    const text = "[".repeat(100_000) + "]".repeat(100_000);
    expect(() => parseJsonRpcBody(text)).not.toThrow();
    expect(parseJsonRpcBody(text)).toMatchObject({ kind: "batch", items: [{ kind: "invalid" }] });
  });
});

describe("helpers", () => {
  it.each<[unknown, boolean]>([
    [0, true],
    [-7, true],
    [Number.MAX_SAFE_INTEGER, true],
    ["", true],
    ["x", true],
    [1.5, false],
    [Number.NaN, false],
    [Infinity, false],
    [null, false],
    [undefined, false],
    [[1], false],
  ])("isJsonRpcId(%j) is %s", (value, expected) => {
    expect(isJsonRpcId(value)).toBe(expected);
  });

  it("jsonRpcError leaves data out unless given", () => {
    expect(jsonRpcError(1, -1, "m")).toEqual({ jsonrpc: "2.0", id: 1, error: { code: -1, message: "m" } });
    expect(jsonRpcError(null, -1, "m", { a: 1 })).toEqual({ jsonrpc: "2.0", id: null, error: { code: -1, message: "m", data: { a: 1 } } });
  });
});

describe("properties", () => {
  const messageLike = fc.record(
    {
      jsonrpc: fc.oneof(fc.constant("2.0"), fc.anything()),
      id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.double(), fc.anything()),
      method: fc.oneof(fc.constantFrom("tools/call", "tools/list", "initialize"), fc.anything()),
      params: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue()), fc.anything()),
      result: fc.anything(),
      error: fc.oneof(fc.record({ code: fc.integer(), message: fc.string() }), fc.anything()),
    },
    { requiredKeys: [] },
  );

  it("never throws on any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        parseJsonRpcBody(text);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on any JSON, and every error answer is well formed", () => {
    const body = fc.oneof(fc.jsonValue(), messageLike, fc.array(fc.oneof(messageLike, fc.jsonValue()), { maxLength: 6 }));
    fc.assert(
      fc.property(body, (value) => {
        const parsed = parseJsonRpcBody(JSON.stringify(value) ?? "");
        const items = parsed.kind === "batch" ? parsed.items : parsed.kind === "single" ? [parsed.item] : [];
        const errors = parsed.kind === "error" ? [parsed.error] : items.flatMap((i) => (i.kind === "invalid" ? [i.error] : []));
        for (const e of errors) {
          expect(e.jsonrpc).toBe("2.0");
          expect(e.id === null || isJsonRpcId(e.id)).toBe(true);
          expect([JSON_RPC_ERROR.PARSE_ERROR, JSON_RPC_ERROR.INVALID_REQUEST]).toContain(e.error.code);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws on values JSON cannot even express", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), messageLike, fc.array(messageLike)), (value) => {
        parseJsonRpcValue(value);
      }),
      { numRuns: 500 },
    );
  });
});
