import { describe, expect, it } from "vitest";
import type { JsonRpcMessage } from "@/lib/mcp/json-rpc";
import { encodeHeaderValue, standardRequestHeaders } from "@/lib/mcp/standard-headers";

const request = (method: string, params?: Record<string, unknown>): JsonRpcMessage => ({ jsonrpc: "2.0", id: 1, method, ...(params ? { params } : {}) });

describe("standardRequestHeaders", () => {
  it.each<[string, JsonRpcMessage, string | null, Record<string, string>]>([
    ["tools/call names its tool", request("tools/call", { name: "list_files", arguments: {} }), "2026-07-28", { "mcp-method": "tools/call", "mcp-name": "list_files" }],
    ["prompts/get names its prompt", request("prompts/get", { name: "summary" }), "2026-07-28", { "mcp-method": "prompts/get", "mcp-name": "summary" }],
    ["resources/read names its uri", request("resources/read", { uri: "file:///a.txt" }), "2026-07-28", { "mcp-method": "resources/read", "mcp-name": "file:///a.txt" }],
    ["tasks/get names its task", request("tasks/get", { taskId: "t-1" }), "2026-07-28", { "mcp-method": "tasks/get", "mcp-name": "t-1" }],
    ["tools/list has a method only", request("tools/list"), "2026-07-28", { "mcp-method": "tools/list" }],
    ["a name that is not a string is left out", request("tools/call", { name: 7 }), "2026-07-28", { "mcp-method": "tools/call" }],
    ["an inherited property is no method table entry", request("constructor", { name: "x" }), "2026-07-28", { "mcp-method": "constructor" }],
    ["a hostile method is encoded, not split", request("x\r\nX-Evil: 1"), "2026-07-28", { "mcp-method": `=?base64?${Buffer.from("x\r\nX-Evil: 1").toString("base64")}?=` }],
    ["a later revision gets them too", request("tools/list"), "2027-01-01", { "mcp-method": "tools/list" }],
    ["none before 2026-07-28", request("tools/call", { name: "list_files" }), "2025-11-25", {}],
    ["none without a version", request("tools/call", { name: "list_files" }), null, {}],
    ["none for a notification", { jsonrpc: "2.0", method: "notifications/initialized" }, "2026-07-28", {}],
    ["none for a response", { jsonrpc: "2.0", id: 1, result: {} }, "2026-07-28", {}],
  ])("%s", (_name, message, version, expected) => {
    expect(standardRequestHeaders(message, version)).toEqual(expected);
  });
});

describe("encodeHeaderValue", () => {
  it.each([
    ["plain ASCII passes", "get_weather", "get_weather"],
    ["non-ASCII is base64", "météo", `=?base64?${Buffer.from("météo").toString("base64")}?=`],
    ["surrounding spaces are base64", " x ", `=?base64?${Buffer.from(" x ").toString("base64")}?=`],
    ["empty is base64", "", "=?base64??="],
    ["a value that looks encoded is encoded again", "=?base64?eA==?=", `=?base64?${Buffer.from("=?base64?eA==?=").toString("base64")}?=`],
    ["a line break cannot reach a header", "a\r\nX-Evil: 1", `=?base64?${Buffer.from("a\r\nX-Evil: 1").toString("base64")}?=`],
  ])("%s", (_name, value, expected) => {
    expect(encodeHeaderValue(value)).toBe(expected);
  });
});
