import { describe, expect, it } from "vitest";
import { argumentRole, findArguments } from "@/lib/risk/arguments";

describe("argumentRole", () => {
  it.each([
    ["command", "shell"],
    ["shell_command", "shell"],
    ["commandLine", "shell"],
    ["cli_command", "shell"],
    ["script", "script"],
    ["python_code", "code"],
    ["sql", "sql"],
    ["query", "query"],
    ["url", "url"],
    ["urls", "url"],
    ["file_path", "path"],
    ["unit_amount", "money"],
    ["to", "recipient"],
    ["recipients", "recipient"],
    ["recipient_email", "address"],
    ["phone_number", "address"],
    ["policy_document", "access"],
    ["role", "access"],
    ["permissions", "access"],
  ])("gives %j the role %j", (name, role) => {
    expect(argumentRole(name)).toBe(role);
  });

  it.each(["command_id", "subCommand", "country_code", "status_code", "api_path", "message", "issue_number", "title"])(
    "gives %j no role",
    (name) => {
      expect(argumentRole(name)).toBeUndefined();
    },
  );

  it("only counts force-like flags when they are switches", () => {
    expect(argumentRole("recursive", { type: "boolean" })).toBe("force");
    expect(argumentRole("force", {})).toBe("force");
    expect(argumentRole("force", { type: "string" })).toBeUndefined();
  });

  it("ignores free-form roles when the schema limits the value to a fixed list", () => {
    expect(argumentRole("command", { type: "string", enum: ["status", "restart"] })).toBeUndefined();
    expect(argumentRole("url", { const: "https://example.com" })).toBeUndefined();
  });
});

describe("findArguments", () => {
  it("reads top-level arguments in order, then one level of nested objects", () => {
    expect(
      findArguments({
        type: "object",
        properties: {
          to: { type: "string" },
          options: { type: "object", properties: { command: { type: "string" }, deeper: { type: "object", properties: { sql: {} } } } },
          amount: { type: "number" },
        },
      }),
    ).toEqual([
      { name: "to", role: "recipient" },
      { name: "amount", role: "money" },
      { name: "options.command", role: "shell" },
    ]);
  });

  it.each([undefined, null, "schema", [], { properties: "x" }, { properties: null }, { properties: [1, 2] }])(
    "returns nothing for the malformed schema %j",
    (schema) => {
      expect(findArguments(schema)).toEqual([]);
    },
  );
});
