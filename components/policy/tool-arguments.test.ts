import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { argsFromForm, argsFromJson, formatValueList, parseValueList, toolArguments, valueKind } from "@/components/policy/tool-arguments";
import { issuesFromServer, offsetOf } from "@/components/policy/policy-text";

const GET_ANNOTATED = {
  type: "object",
  required: ["messageType"],
  properties: {
    messageType: { enum: ["error", "success", "debug"], type: "string", description: "Type of message" },
    includeImage: { type: "boolean", default: false },
    count: { type: "integer" },
    ratio: { type: ["number", "null"] },
    tags: { type: "array", items: { type: "string" } },
    odd: "not a schema",
  },
};

describe("toolArguments", () => {
  it("reads each argument's kind, whether it is required and its description", () => {
    expect(toolArguments(GET_ANNOTATED)).toEqual([
      { name: "messageType", kind: "enum", required: true, description: "Type of message", options: ["error", "success", "debug"] },
      { name: "includeImage", kind: "boolean", required: false, description: null, options: [] },
      { name: "count", kind: "integer", required: false, description: null, options: [] },
      { name: "ratio", kind: "number", required: false, description: null, options: [] },
      { name: "tags", kind: "json", required: false, description: null, options: [] },
      { name: "odd", kind: "json", required: false, description: null, options: [] },
    ]);
    expect(valueKind(toolArguments(GET_ANNOTATED)[0]!)).toBe("string");
  });

  it("survives anything a server may send as a schema", () => {
    fc.assert(fc.property(fc.jsonValue(), (schema) => void toolArguments(schema)));
    fc.assert(fc.property(fc.jsonValue(), (properties) => void toolArguments({ type: "object", properties })));
  });
});

describe("argsFromForm", () => {
  const fields = toolArguments(GET_ANNOTATED);

  it("turns each field into a value of its kind and leaves empty fields out", () => {
    expect(argsFromForm(fields, { messageType: '"error"', includeImage: "true", count: "12", ratio: "", tags: '["a"]' })).toEqual({
      ok: true,
      args: { messageType: "error", includeImage: true, count: 12, tags: ["a"] },
    });
  });

  it("says which fields do not fit", () => {
    expect(argsFromForm(fields, { count: "twelve", tags: "[oops" })).toEqual({
      ok: false,
      errors: { count: "Enter a number, such as 42 or 2.5.", tags: 'Enter a JSON value, such as "text", 3, ["a", "b"] or {"key": 1}.' },
    });
  });

  it("reads raw JSON arguments as one object", () => {
    expect(argsFromJson('{"a": 50}')).toEqual({ ok: true, args: { a: 50 } });
    expect(argsFromJson("")).toEqual({ ok: true, args: {} });
    expect(argsFromJson("[1]")).toEqual({ ok: false, error: 'The arguments must be one JSON object, such as {"message": "hello"}.' });
    expect(argsFromJson("{").ok).toBe(false);
  });
});

describe("value lists", () => {
  it("round-trip the values the builder can write as text", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z][a-z .-]{0,8}[a-z]$/), { minLength: 1 }), (values) => {
        const text = formatValueList(values, "string");
        expect(text).not.toBeNull();
        expect(parseValueList(text!, "string")).toEqual(values);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1 }), (values) => {
        expect(parseValueList(formatValueList(values, "integer")!, "integer")).toEqual(values);
      }),
    );
  });

  it("refuse values they could not write back unchanged", () => {
    expect(formatValueList(["a,b"], "string")).toBeNull();
    expect(formatValueList([1], "string")).toBeNull();
    expect(formatValueList(["1"], "number")).toBeNull();
    expect(parseValueList("1, x", "number")).toBeNull();
    expect(parseValueList("1.5", "integer")).toBeNull();
  });
});

describe("placing the server's errors in the text", () => {
  const text = '{\n  "version": "1",\n  "default": "maybe"\n}\n';

  it("finds the offset of a line and column", () => {
    expect(offsetOf(text, 1, 1)).toBe(0);
    expect(offsetOf(text, 3, 14)).toBe(text.indexOf('"maybe"'));
    expect(offsetOf(text, 3, 999)).toBe(text.indexOf("\n}"));
    expect(offsetOf(text, 99, 1)).toBe(text.length);
  });

  it("keeps only the errors about the text, with their pointers", () => {
    const issues = issuesFromServer(
      text,
      [
        { path: "body.text/default", message: "bad default", line: 3, column: 14 },
        { path: "body.message", message: "Say what this version changes, in a few words." },
      ],
      "error",
    );
    expect(issues).toEqual([{ kind: "error", path: "/default", message: "bad default", line: 3, column: 14, from: 33, to: 40 }]);
    expect(text.slice(33, 40)).toBe('"maybe"');
  });
});
