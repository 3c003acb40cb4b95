import { describe, expect, it } from "vitest";
import { compilePolicy } from "@/lib/policy/compile";
import { describeConstraint, mergeConstraint, narrowInputSchema, presentTool } from "@/lib/policy/narrow-schema";
import { validatePolicy } from "@/lib/policy/schema";
import type { ArgConstraint, PolicyRule } from "@/lib/policy/types";

function compiled(tools: Record<string, PolicyRule>, defaultAction: "allow" | "deny" = "deny") {
  const result = validatePolicy({ version: "1", default: defaultAction, tools });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return compilePolicy(result.document);
}

const refundTool = {
  name: "refund",
  description: "Refund a payment.",
  title: "Refund",
  inputSchema: {
    type: "object",
    properties: {
      amount: { type: "number", minimum: 0, maximum: 10_000 },
      currency: { type: "string", enum: ["EUR", "USD", "GBP"] },
      note: { type: "string" },
    },
    required: ["amount"],
  },
};

describe("mergeConstraint", () => {
  it.each<[string, unknown, ArgConstraint, Record<string, unknown>]>([
    ["adds keywords the tool lacks", { type: "string" }, { maxLength: 10, pattern: "^a" }, { type: "string", maxLength: 10, pattern: "^a" }],
    ["keeps the tighter upper bounds", { maximum: 50, maxLength: 5, maxItems: 9, exclusiveMaximum: 3 }, { maximum: 100, maxLength: 3, maxItems: 10, exclusiveMaximum: 2 }, { maximum: 50, maxLength: 3, maxItems: 9, exclusiveMaximum: 2 }],
    ["keeps the tighter lower bounds", { minimum: 5, minLength: 1, minItems: 2, exclusiveMinimum: 0 }, { minimum: 1, minLength: 2, minItems: 1, exclusiveMinimum: 1 }, { minimum: 5, minLength: 2, minItems: 2, exclusiveMinimum: 1 }],
    ["intersects enums", { enum: ["EUR", "USD", "GBP"] }, { enum: ["USD", "EUR", "JPY"] }, { enum: ["EUR", "USD"] }],
    ["keeps disjoint enums both, through allOf", { enum: ["a"] }, { enum: ["b"] }, { enum: ["a"], allOf: [{ enum: ["b"] }] }],
    ["narrows number to integer", { type: "number" }, { type: "integer" }, { type: "integer" }],
    ["intersects type lists", { type: ["string", "null"] }, { type: ["null", "number"] }, { type: "null" }],
    ["keeps two patterns through allOf", { pattern: "^a" }, { pattern: "z$" }, { pattern: "^a", allOf: [{ pattern: "z$" }] }],
    ["keeps the larger multipleOf when one divides the other", { multipleOf: 2 }, { multipleOf: 6 }, { multipleOf: 6 }],
    ["keeps a multipleOf already implied", { multipleOf: 6 }, { multipleOf: 3 }, { multipleOf: 6 }],
    ["unions required", { required: ["a"] }, { required: ["b", "a"] }, { required: ["a", "b"] }],
    ["uniqueItems true wins", { uniqueItems: false }, { uniqueItems: true }, { uniqueItems: true }],
    ["merges items", { type: "array", items: { type: "string" } }, { items: { maxLength: 4 } }, { type: "array", items: { type: "string", maxLength: 4 } }],
    ["merges properties", { properties: { a: { type: "string" } } }, { properties: { a: { enum: ["x"] }, b: { const: 1 } } }, { properties: { a: { type: "string", enum: ["x"] }, b: { const: 1 } } }],
    ["additionalProperties false wins", { additionalProperties: { type: "string" } }, { additionalProperties: false }, { additionalProperties: false }],
    ["starts from nothing when the tool has no schema for the argument", undefined, { const: 1 }, { const: 1 }],
    ["an equal const is kept once", { const: 1 }, { const: 1 }, { const: 1 }],
  ])("%s", (_name, base, constraint, expected) => {
    expect(mergeConstraint(base, constraint)).toEqual(expected);
  });

  it("does not change its inputs", () => {
    const base = { enum: ["a", "b"], items: { type: "string" } };
    const constraint: ArgConstraint = { enum: ["a"], items: { maxLength: 1 } };
    mergeConstraint(base, constraint);
    expect(base).toEqual({ enum: ["a", "b"], items: { type: "string" } });
    expect(constraint).toEqual({ enum: ["a"], items: { maxLength: 1 } });
  });
});

describe("narrowInputSchema", () => {
  it("merges into the tool's properties and leaves the rest", () => {
    const narrowed = narrowInputSchema(refundTool.inputSchema, { amount: { maximum: 100 }, currency: { enum: ["EUR"] } });
    expect(narrowed).toEqual({
      type: "object",
      properties: {
        amount: { type: "number", minimum: 0, maximum: 100 },
        currency: { type: "string", enum: ["EUR"] },
        note: { type: "string" },
      },
      required: ["amount"],
    });
    expect(refundTool.inputSchema.properties.amount.maximum).toBe(10_000);
  });

  it("adds an argument the tool does not declare, unless the tool forbids extra arguments", () => {
    expect(narrowInputSchema({ type: "object" }, { x: { const: 1 } })).toEqual({ type: "object", properties: { x: { const: 1 } } });
    expect(narrowInputSchema({ type: "object", additionalProperties: false }, { x: { const: 1 } })).toEqual({
      type: "object",
      additionalProperties: false,
      properties: {},
    });
  });
});

describe("describeConstraint", () => {
  it("puts a constraint into words", () => {
    expect(describeConstraint("amount", { type: "integer", minimum: 1, maximum: 100, multipleOf: 5 })).toEqual([
      "`amount`: a whole number, at least 1, at most 100, a multiple of 5",
    ]);
    expect(describeConstraint("to", { type: "array", maxItems: 3, items: { pattern: "@corp\\.com$" } })).toEqual([
      "`to`: an array, at most 3 items",
      "`to[]`: matching the regular expression `@corp\\.com$`",
    ]);
  });
});

describe("presentTool", () => {
  it("narrows a constrained tool's schema and appends the policy to its description", () => {
    const c = compiled({
      refund: {
        action: "require_approval",
        reason: "Refunds are checked by finance.",
        args: { amount: { maximum: 100 }, currency: { enum: ["EUR", "USD"] } },
        limits: [{ counter: "refunds", window: "hour", max: 5, scope: "server" }],
      },
    });
    const shown = presentTool(c, refundTool);
    expect(shown?.title).toBe("Refund");
    expect(shown?.inputSchema.properties).toMatchObject({ amount: { maximum: 100 }, currency: { enum: ["EUR", "USD"] } });
    expect(shown?.description).toBe(
      [
        "Refund a payment.",
        "",
        "Policy:",
        "- `amount`: at most 100",
        '- `currency`: one of "EUR", "USD"',
        "- At most 5 calls per hour for this server across all keys.",
        "- Each call waits for a person's approval.",
        "- Refunds are checked by finance.",
      ].join("\n"),
    );
  });

  it.each<[string, Record<string, PolicyRule>, "allow" | "deny", boolean]>([
    ["hides a tool a deny rule names", { "refund*": { action: "deny" } }, "allow", false],
    ["hides a tool no rule names when the default denies", { other: {} }, "deny", false],
    ["shows a tool no rule names when the default allows", {}, "allow", true],
    ["shows an allowed tool unchanged when its rule restricts nothing", { refund: {} }, "deny", true],
  ])("%s", (_name, tools, defaultAction, visible) => {
    expect(presentTool(compiled(tools, defaultAction), refundTool)).toBe(visible ? refundTool : null);
  });
});
