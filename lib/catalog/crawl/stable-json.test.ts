import { describe, expect, it } from "vitest";
import { stableJson } from "@/lib/catalog/crawl/stable-json";
import { toolsSha256 } from "@/lib/catalog/crawl/tools-digest";

describe("stableJson", () => {
  it("writes the same bytes whatever order keys arrive in: named keys first, the rest sorted, at every level", () => {
    const shape = { first: ["name", "description"], children: { tools: { first: ["name"] } } };
    const a = stableJson({ z: 1, description: "d", name: "n", tools: [{ b: 1, name: "t", a: { y: 1, x: 2 } }] }, shape);
    const b = stableJson({ tools: [{ a: { x: 2, y: 1 }, name: "t", b: 1 }], name: "n", z: 1, description: "d" }, shape);
    expect(a).toBe(b);
    expect(a).toBe('{\n  "name": "n",\n  "description": "d",\n  "tools": [\n    {\n      "name": "t",\n      "a": {\n        "x": 2,\n        "y": 1\n      },\n      "b": 1\n    }\n  ],\n  "z": 1\n}\n');
  });

  it("leaves out undefined values and keeps __proto__ as an ordinary key", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    expect(stableJson({ ...value, gone: undefined })).toBe('{\n  "__proto__": {\n    "polluted": true\n  },\n  "a": 1\n}\n');
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe("toolsSha256", () => {
  it("is the SHA-256 of the tools' canonical JSON: key order does not change it, any value does", () => {
    const one = [{ name: "a", inputSchema: { type: "object", properties: { p: { type: "string" } } } }];
    const reordered = [{ inputSchema: { properties: { p: { type: "string" } }, type: "object" }, name: "a" }];
    expect(toolsSha256(one)).toBe(toolsSha256(reordered));
    // A fixed value: the digest must not drift between versions of the crawler.
    expect(toolsSha256(one)).toBe("89dfe4e469d8e2300a36915d8fc80096fd8f9d700e8a94d46b9b1354aa3b11b1");
    expect(toolsSha256([{ ...one[0]!, description: "" }])).not.toBe(toolsSha256(one));
  });
});
