import { describe, expect, it } from "vitest";
import type { JsonRpcMessage } from "@/lib/mcp/json-rpc";
import { extractToolCall } from "@/lib/mcp/tool-call";

const call = (params: unknown, id: string | number = 1): JsonRpcMessage =>
  ({ jsonrpc: "2.0", id, method: "tools/call", ...(params === undefined ? {} : { params }) }) as JsonRpcMessage;

describe("extractToolCall", () => {
  it.each<[string, unknown, { name: string; arguments: Record<string, unknown> | undefined }]>([
    ["name and arguments", { name: "get_user", arguments: { id: 7 } }, { name: "get_user", arguments: { id: 7 } }],
    ["no arguments", { name: "ping" }, { name: "ping", arguments: undefined }],
    ["empty arguments", { name: "ping", arguments: {} }, { name: "ping", arguments: {} }],
    ["other params are ignored", { name: "t", arguments: { a: 1 }, _meta: { progressToken: 3 } }, { name: "t", arguments: { a: 1 } }],
    ["an empty name is still a name", { name: "" }, { name: "", arguments: undefined }],
  ])("reads %s", (_why, params, expected) => {
    expect(extractToolCall(call(params))).toEqual({ ok: true, ...expected });
  });

  it.each<[string, unknown, RegExp]>([
    ["no params", undefined, /needs `params` as an object/],
    ["array params", ["get_user", {}], /needs `params` as an object/],
    ["no name", { arguments: {} }, /needs `params.name`/],
    ["a number name", { name: 5 }, /needs `params.name`/],
    ["a null name", { name: null }, /needs `params.name`/],
    ["array arguments", { name: "t", arguments: [1, 2] }, /must be an object when present/],
    ["string arguments", { name: "t", arguments: "a=1" }, /must be an object when present/],
    ["null arguments", { name: "t", arguments: null }, /must be an object when present/],
  ])("refuses %s with -32602 and the request's id", (_why, params, message) => {
    const result = extractToolCall(call(params, "req-9"));
    expect(result).toMatchObject({ ok: false, error: { jsonrpc: "2.0", id: "req-9", error: { code: -32602 } } });
    expect(result && !result.ok && result.error.error.message).toMatch(message);
    expect(result && !result.ok && result.error.error.message).toMatch(/^Invalid params: /);
  });

  it.each<[string, JsonRpcMessage]>([
    ["another method", { jsonrpc: "2.0", id: 1, method: "tools/list" }],
    ["a method that only looks alike", { jsonrpc: "2.0", id: 1, method: "Tools/Call", params: { name: "x" } }],
    ["a response", { jsonrpc: "2.0", id: 1, result: { content: [] } }],
  ])("returns null for %s", (_why, message) => {
    expect(extractToolCall(message)).toBeNull();
  });

  it("answers a tools/call notification with id null", () => {
    const message = { jsonrpc: "2.0", method: "tools/call", params: { name: 1 } } as JsonRpcMessage;
    expect(extractToolCall(message)).toMatchObject({ ok: false, error: { id: null } });
  });
});
