import { describe, expect, it } from "vitest";
import { filterToolsList } from "@/lib/mcp/tools-list";
import { compilePolicy, type CompiledPolicy } from "@/lib/policy/compile";
import { presentTool } from "@/lib/policy/narrow-schema";
import { validatePolicy } from "@/lib/policy/schema";

function compiled(document: unknown): CompiledPolicy {
  const result = validatePolicy(document);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return compilePolicy(result.document);
}

const schema = (properties: Record<string, unknown> = {}) => ({ type: "object", properties });
const tool = (name: string, extra: Record<string, unknown> = {}) => ({ name, description: `The ${name} tool.`, inputSchema: schema(), ...extra });

const POLICY = compiled({
  version: "1",
  default: "deny",
  tools: {
    "get_*": {},
    "delete_*": { action: "deny" },
    delete_draft: {},
    refund: { action: "require_approval", args: { amount: { maximum: 100 } } },
  },
});

const names = (page: { tools: { name: string }[] }) => page.tools.map((t) => t.name);

describe("filterToolsList", () => {
  it.each<[string, unknown[], string[]]>([
    ["keeps allowed tools in the upstream's order", [tool("get_b"), tool("get_a")], ["get_b", "get_a"]],
    ["drops tools a deny rule names", [tool("get_a"), tool("delete_user")], ["get_a"]],
    ["keeps an exact allow inside a denied glob family", [tool("delete_draft"), tool("delete_repo")], ["delete_draft"]],
    ["drops tools the default denies", [tool("post_message"), tool("get_a")], ["get_a"]],
    ["keeps tools that need approval (they can be called, held)", [tool("refund")], ["refund"]],
    ["drops entries without a string name", [{ inputSchema: schema() }, { name: 3, inputSchema: schema() }, tool("get_a")], ["get_a"]],
    ["drops entries without an object inputSchema", [{ name: "get_x" }, { name: "get_y", inputSchema: "object" }, tool("get_a")], ["get_a"]],
    ["drops entries that are not objects", [null, "get_a", 1, [tool("get_a")], tool("get_b")], ["get_b"]],
    ["lists nothing from an empty page", [], []],
  ])("%s", (_why, tools, expected) => {
    expect(names(filterToolsList({ tools }, POLICY))).toEqual(expected);
  });

  it("narrows each tool with the policy core's presentTool, unchanged otherwise", () => {
    const refund = { name: "refund", description: "Refund a payment.", title: "Refund", inputSchema: schema({ amount: { type: "number" } }), annotations: { destructiveHint: true } };
    const page = filterToolsList({ tools: [refund, tool("get_a")] }, POLICY);
    expect(page.tools[0]).toEqual(presentTool(POLICY, refund));
    expect(page.tools[0]?.inputSchema).toMatchObject({ properties: { amount: { type: "number", maximum: 100 } } });
    expect(page.tools[0]).toMatchObject({ title: "Refund", annotations: { destructiveHint: true } });
    expect(page.tools[1]).toEqual(tool("get_a"));
  });

  it("hides tools that need review, even when the policy allows them", () => {
    const page = filterToolsList({ tools: [tool("get_a"), tool("get_b")] }, POLICY, (name) => name !== "get_b");
    expect(names(page)).toEqual(["get_a"]);
  });

  it("passes nextCursor and _meta through, so paging still works", () => {
    const page = filterToolsList({ tools: [tool("delete_x")], nextCursor: "page-2", _meta: { a: 1 } }, POLICY);
    expect(page).toEqual({ tools: [], nextCursor: "page-2", _meta: { a: 1 } });
  });

  it.each<[string, unknown]>([
    ["null", null],
    ["a string", "tools"],
    ["an array", [tool("get_a")]],
    ["tools not an array", { tools: { get_a: tool("get_a") } }],
    ["no tools", { nextCursor: "x" }],
  ])("lists nothing from a malformed result (%s)", (_why, result) => {
    expect(filterToolsList(result, POLICY).tools).toEqual([]);
  });

  it("does not change the upstream's result", () => {
    const result = { tools: [{ name: "refund", inputSchema: schema({ amount: { type: "number" } }) }] };
    const before = structuredClone(result);
    filterToolsList(result, POLICY);
    expect(result).toEqual(before);
  });

  it("lists everything under an allow-by-default policy with no rules", () => {
    const open = compiled({ version: "1", default: "allow", tools: {} });
    expect(names(filterToolsList({ tools: [tool("a"), tool("b")] }, open))).toEqual(["a", "b"]);
  });
});
