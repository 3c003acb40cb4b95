import { describe, expect, it } from "vitest";
import { findUnstorable, formatJsonPath, listUnstorable, storableText, unstorableReason } from "@/lib/json/storable-text";

describe("unstorableReason", () => {
  it.each([
    ["plain text", null],
    ["emoji 😀 (a surrogate pair)", null],
    ["", null],
    ["a\u0000b", "nul"],
    ["\u0000", "nul"],
    ["high \ud800 alone", "unpaired_surrogate"],
    ["low \udc00 alone", "unpaired_surrogate"],
    ["reversed \ude00\ud83d", "unpaired_surrogate"],
    ["ends high \ud83d", "unpaired_surrogate"],
  ])("%j -> %s", (text, reason) => {
    expect(unstorableReason(text)).toBe(reason);
  });
});

describe("storableText", () => {
  it.each([
    ["ok", "ok"],
    ["a\u0000b", "a\uFFFDb"],
    ["x\ud800", "x\uFFFD"],
    ["😀\u0000\udc00", "😀\uFFFD\uFFFD"],
  ])("%j -> %j", (text, expected) => {
    expect(storableText(text)).toBe(expected);
    expect(unstorableReason(storableText(text))).toBeNull();
  });
});

describe("listUnstorable", () => {
  it("finds keys and strings at any depth with their paths (an object's keys before what is under them)", () => {
    const value = { a: ["ok", "b\u0000"], "k\ud800": { hidden: "\u0000" }, c: { d: "\udfff" } };
    expect(listUnstorable(value)).toEqual([
      { path: ["k\ud800"], reason: "unpaired_surrogate", inKey: true },
      { path: ["a", 1], reason: "nul", inKey: false },
      { path: ["c", "d"], reason: "unpaired_surrogate", inKey: false },
    ]);
  });

  it("lets NUL through in the subtrees it is told to, but never in their keys or as a broken surrogate", () => {
    const inArgs = (path: readonly (string | number)[]) => path[0] === "args";
    expect(findUnstorable({ args: { path: "a\u0000b" } }, inArgs)).toBeNull();
    expect(findUnstorable({ args: { "p\u0000": 1 } }, inArgs)).toMatchObject({ path: ["args", "p\u0000"], inKey: true });
    expect(findUnstorable({ args: { path: "\ud800" } }, inArgs)).toMatchObject({ reason: "unpaired_surrogate" });
    expect(findUnstorable({ name: "\u0000" }, inArgs)).toMatchObject({ path: ["name"] });
  });

  it("stops at max, and walks deep values without recursion", () => {
    expect(listUnstorable(["\u0000", "\u0000", "\u0000"], { max: 2 })).toHaveLength(2);
    let deep: unknown = "\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorable(deep)?.path).toHaveLength(100_000);
  });
});

describe("formatJsonPath", () => {
  it.each([
    [[], "", "(the message)"],
    [["params", "name"], "", "params.name"],
    [["params", "arguments", "a b", 0], "", 'params.arguments["a b"][0]'],
    [["x\u0000"], "body", 'body["x\\u0000"]'],
    [["\ud800"], "body", 'body["\\ud800"]'],
  ] as const)("%j", (path, root, expected) => {
    const text = formatJsonPath(path, root);
    expect(text).toBe(expected);
    expect(unstorableReason(text)).toBeNull();
  });
});
