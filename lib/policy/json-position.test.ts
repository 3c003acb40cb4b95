import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  jsonPointerPosition,
  locatePointer,
  offsetToPosition,
  parseJsonWithSourceMap,
  parsePointer,
  pointerOf,
} from "@/lib/policy/json-position";

const DOC = `{
  "version": "1",
  "tools": {
    "get_*": { "limits": [
      { "counter": "c", "window": "minutes" }
    ] },
    "a/b~c": {}
  }
}`;

describe("parseJsonWithSourceMap", () => {
  it("gives the same value as JSON.parse for any JSON text", () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const parsed = parseJsonWithSourceMap(text);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) throw new Error(`refused valid JSON ${JSON.stringify(text)}: ${parsed.error.message}`);
        expect(parsed.value).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary text, and accepts exactly what JSON.parse accepts", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1)))), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(parseJsonWithSourceMap(text).ok).toBe(valid);
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps a key named __proto__ as data", () => {
    const parsed = parseJsonWithSourceMap('{"__proto__": {"polluted": true}}');
    expect(parsed.ok && Object.keys(parsed.value as object)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reports duplicate keys by pointer and keeps the last value, like JSON.parse", () => {
    const parsed = parseJsonWithSourceMap('{"tools": {"a": 1, "b": 2, "a": 3}}');
    expect(parsed.ok && parsed.duplicateKeys).toEqual(["/tools/a"]);
    expect(parsed.ok && parsed.value).toEqual({ tools: { a: 3, b: 2 } });
  });

  it("refuses nesting deep enough to threaten the stack instead of crashing", () => {
    const parsed = parseJsonWithSourceMap("[".repeat(100_000));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error.message).toMatch(/nested more than/);
  });

  it.each([
    ["", 1, 1, /empty/],
    ["   \n  ", 2, 3, /empty/],
    ['{"a": 1,}', 1, 8, /Trailing comma.*last property/],
    ["[1, 2,]", 1, 6, /Trailing comma.*last item/],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, /comma is missing/],
    ["{'a': 1}", 1, 2, /double quotes/],
    ["{a: 1}", 1, 2, /Property names must be in double quotes/],
    ['{"a" 1}', 1, 6, /Expected `:` after the property name "a"/],
    ['{"a": tru}', 1, 7, /expected a value/],
    ['{"a": "x\ny"}', 1, 9, /line break inside a string/],
    ['{"a": "x', 1, 7, /never closed/],
    ['{"a": "\\q"}', 1, 8, /\\q is not a JSON escape/],
    ['{"a": "\\u12"}', 1, 8, /four hexadecimal digits/],
    ['{"a": 012}', 1, 7, /leading zeros/],
    ['{"a": 1.}', 1, 7, /not a valid number/],
    ['{"a": 1} x', 1, 10, /after the end of the JSON value/],
    ['{\n  // note\n  "a": 1}', 2, 3, /comments/],
    ['{"a": [1, 2}', 1, 12, /Expected `,` or `]`/],
    ['{"a": 1', 1, 8, /Expected `,` or `}`.*end of the document/],
    ["\r\n\r\n  }", 3, 3, /value is missing/],
  ])("reports a syntax error in %j at line %i, column %i", (text, line, column, message) => {
    const parsed = parseJsonWithSourceMap(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.message).toMatch(message);
    expect([parsed.error.position.line, parsed.error.position.column]).toEqual([line, column]);
  });
});

describe("locatePointer and jsonPointerPosition", () => {
  it.each([
    ["", 1, 1],
    ["/version", 2, 3],
    ["/tools", 3, 3],
    ["/tools/get_*", 4, 5],
    ["/tools/get_*/limits/0", 5, 7],
    ["/tools/get_*/limits/0/window", 5, 25],
    ["/tools/a~1b~0c", 7, 5],
    // Missing keys resolve to the closest ancestor that exists.
    ["/tools/get_*/limits/0/max", 5, 7],
    ["/default", 1, 1],
  ])("%j is at %i:%i", (pointer, line, column) => {
    expect(jsonPointerPosition(DOC, pointer)).toMatchObject({ line, column });
  });

  it("marks a scalar with its key and value, a container by its key only", () => {
    const parsed = parseJsonWithSourceMap(DOC);
    if (!parsed.ok) throw new Error("unreachable");
    const scalar = locatePointer(parsed.sourceMap, "/tools/get_*/limits/0/window");
    expect(DOC.slice(scalar.start.offset, scalar.end.offset)).toBe('"window": "minutes"');
    const container = locatePointer(parsed.sourceMap, "/tools/get_*");
    expect(DOC.slice(container.start.offset, container.end.offset)).toBe('"get_*"');
    const root = locatePointer(parsed.sourceMap, "");
    expect(DOC.slice(root.start.offset, root.end.offset)).toBe("{");
  });

  it("returns null for text that is not JSON", () => {
    expect(jsonPointerPosition("{", "/a")).toBeNull();
  });

  it("counts CRLF as one line break and ignores a byte order mark in columns", () => {
    const text = '\uFEFF{\r\n  "a": 1\r\n}';
    expect(jsonPointerPosition(text, "")).toMatchObject({ line: 1, column: 1 });
    expect(jsonPointerPosition(text, "/a")).toMatchObject({ line: 2, column: 3 });
  });

  it("maps offsets to positions", () => {
    expect(offsetToPosition("ab\ncd", 4)).toEqual({ line: 2, column: 2, offset: 4 });
  });
});

describe("JSON Pointer helpers", () => {
  it("escapes ~ and / and reads them back", () => {
    expect(pointerOf(["tools", "a/b~c", 0])).toBe("/tools/a~1b~0c/0");
    expect(parsePointer("/tools/a~1b~0c/0")).toEqual(["tools", "a/b~c", "0"]);
    expect(parsePointer("")).toEqual([]);
  });
});
