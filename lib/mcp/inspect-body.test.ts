import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inspectBody, type InboundPlan } from "@/lib/mcp/inspect-body";
import { PROTOCOL_VERSIONS } from "@/lib/mcp/protocol-version";

const V = { jsonrpc: "2.0" } as const;
const toolCall = (id: number, name: string, args?: unknown) => ({ ...V, id, method: "tools/call", params: { name, ...(args === undefined ? {} : { arguments: args }) } });

function kinds(plan: InboundPlan): string[] {
  return plan.kind === "messages" ? plan.items.map((i) => i.kind) : [plan.kind];
}

describe("inspectBody", () => {
  it("turns a single tools/call into one check", () => {
    const plan = inspectBody(JSON.stringify(toolCall(7, "get_user", { id: 1 })), "2025-11-25");
    expect(plan).toEqual({
      kind: "messages",
      batch: false,
      items: [{ kind: "tool_call", request: toolCall(7, "get_user", { id: 1 }), call: { name: "get_user", arguments: { id: 1 } } }],
    });
  });

  it.each<[string, unknown, string[]]>([
    ["another request is forwarded", { ...V, id: 1, method: "tools/list" }, ["forward"]],
    ["a notification is forwarded", { ...V, method: "notifications/initialized" }, ["forward"]],
    ["a response (to sampling, elicitation) is forwarded", { ...V, id: 4, result: { content: [] } }, ["forward"]],
    ["an invalid message is rejected", { ...V, id: 1 }, ["reject"]],
    ["a tools/call with bad params is rejected", { ...V, id: 1, method: "tools/call", params: { name: 1 } }, ["reject"]],
    ["a tools/call sent as a notification is rejected", { ...V, method: "tools/call", params: { name: "x" } }, ["reject"]],
  ])("%s", (_why, message, expected) => {
    expect(kinds(inspectBody(JSON.stringify(message), "2025-11-25"))).toEqual(expected);
  });

  it.each(["Tools/call", "tools/call ", "tools/call\u200b", "vendor/thing"])("refuses a method it does not know, %j, as method not found", (method) => {
    const plan = inspectBody(JSON.stringify({ ...V, id: 3, method, params: { name: "delete_user" } }), "2025-11-25");
    expect(plan).toMatchObject({ kind: "messages", items: [{ kind: "reject", method, error: { id: 3, error: { code: -32601 } } }] });
  });

  it("drops an unknown notification without an answer", () => {
    const plan = inspectBody(JSON.stringify({ ...V, method: "notifications/Cancelled" }), "2025-11-25");
    expect(plan).toMatchObject({ kind: "messages", items: [{ kind: "reject", silent: true }] });
  });

  it("forwards a method the operator added", () => {
    const plan = inspectBody(JSON.stringify({ ...V, id: 3, method: "vendor/thing" }), "2025-11-25", { extraMethods: new Set(["vendor/thing"]) });
    expect(kinds(plan)).toEqual(["forward"]);
  });

  it("keeps the request id on a rejected tools/call and says which method it was", () => {
    const plan = inspectBody(JSON.stringify({ ...V, id: "r1", method: "tools/call", params: { name: "t", arguments: [1] } }), "2025-06-18");
    expect(plan).toMatchObject({ kind: "messages", items: [{ kind: "reject", method: "tools/call", error: { id: "r1", error: { code: -32602 } } }] });
  });

  it("refuses a body that is not JSON with a parse error", () => {
    expect(inspectBody("{", "2025-11-25")).toMatchObject({ kind: "refuse", status: 400, error: { id: null, error: { code: -32700 } } });
  });

  it.each(["2025-06-18", "2025-11-25", "2026-07-28", null])("refuses a batch of tool calls under %s, checking and forwarding nothing", (version) => {
    const plan = inspectBody(JSON.stringify([toolCall(1, "a"), toolCall(2, "b")]), version);
    expect(plan).toMatchObject({ kind: "refuse", status: 400, error: { id: null, error: { code: -32600 } } });
  });

  it("checks every tools/call of a 2025-03-26 batch, each on its own", () => {
    const body = [toolCall(1, "get_user"), { ...V, id: 2, method: "tools/list" }, toolCall(3, "delete_user", { id: 1 }), 17, { ...V, method: "notifications/progress" }];
    const plan = inspectBody(JSON.stringify(body), "2025-03-26");
    expect(plan.kind === "messages" && plan.batch).toBe(true);
    expect(kinds(plan)).toEqual(["tool_call", "forward", "tool_call", "reject", "forward"]);
    const names = plan.kind === "messages" ? plan.items.flatMap((i) => (i.kind === "tool_call" ? [i.call.name] : [])) : [];
    expect(names).toEqual(["get_user", "delete_user"]);
  });

  it("refuses a 2025-03-26 batch that carries initialize", () => {
    const plan = inspectBody(JSON.stringify([{ ...V, id: 1, method: "initialize", params: {} }, toolCall(2, "x")]), "2025-03-26");
    expect(plan).toMatchObject({ kind: "refuse", status: 400 });
  });
});

describe("a batch never bypasses a check (properties)", () => {
  const name = fc.oneof(fc.constantFrom("get_user", "delete_user", "x"), fc.string());
  const validToolCall = fc.record({
    jsonrpc: fc.constant("2.0"),
    id: fc.oneof(fc.integer(), fc.string()),
    method: fc.constant("tools/call"),
    params: fc.record({ name, arguments: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }) }, { requiredKeys: ["name"] }),
  });
  /** Shapes meant to slip through: no id, bad params, extra result, wrong jsonrpc, duplicate-looking fields. */
  const trickyToolCall = fc.record(
    {
      jsonrpc: fc.oneof(fc.constant("2.0"), fc.jsonValue()),
      id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.double(), fc.jsonValue()),
      method: fc.constant("tools/call"),
      params: fc.oneof(fc.record({ name, arguments: fc.jsonValue() }, { requiredKeys: [] }), fc.jsonValue()),
      result: fc.jsonValue(),
      error: fc.jsonValue(),
    },
    { requiredKeys: ["method"] },
  );
  const otherMessage = fc.oneof(
    fc.record({ jsonrpc: fc.constant("2.0"), id: fc.integer(), method: fc.constantFrom("tools/list", "ping", "resources/read") }),
    fc.record({ jsonrpc: fc.constant("2.0"), method: fc.constantFrom("notifications/progress", "notifications/cancelled") }),
    fc.record({ jsonrpc: fc.constant("2.0"), id: fc.integer(), result: fc.jsonValue() }),
    fc.jsonValue(),
  );
  const element = fc.oneof(validToolCall, trickyToolCall, otherMessage);
  const batch = fc.array(element, { minLength: 1, maxLength: 12 });
  const version = fc.constantFrom<string | null>(...PROTOCOL_VERSIONS, null, "2024-11-05");

  const isToolsCall = (e: unknown) => typeof e === "object" && e !== null && !Array.isArray(e) && Object.hasOwn(e, "method") && (e as { method: unknown }).method === "tools/call";

  it("yields at least one check per well-formed tools/call element, whatever else the batch holds", () => {
    let planned = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof(validToolCall, otherMessage), { minLength: 1, maxLength: 12 }), (elements) => {
        const plan = inspectBody(JSON.stringify(elements), "2025-03-26");
        const calls = elements.filter(isToolsCall).length;
        const checks = plan.kind === "messages" ? plan.items.filter((i) => i.kind === "tool_call").length : 0;
        // A batch refused whole (one that carries a response with requests) forwards nothing, which is no bypass.
        if (plan.kind === "messages") {
          planned++;
          expect(checks).toBeGreaterThanOrEqual(calls);
        }
      }),
      { numRuns: 500 },
    );
    // The property says nothing unless some batches were planned rather than refused whole.
    expect(planned).toBeGreaterThan(50);
  });

  it("never forwards an element whose method is tools/call, under any version", () => {
    let checkedCalls = 0;
    fc.assert(
      fc.property(batch, version, (elements, v) => {
        const plan = inspectBody(JSON.stringify(elements), v);
        if (plan.kind === "refuse") return;
        expect(plan.items).toHaveLength(elements.length);
        elements.forEach((e, k) => {
          if (isToolsCall(e)) {
            checkedCalls++;
            expect(plan.items[k]!.kind).not.toBe("forward");
          }
        });
      }),
      { numRuns: 1000 },
    );
    // Planned batches holding tools/call elements must have been met, or the property was never tried.
    expect(checkedCalls).toBeGreaterThan(50);
  });

  it("forwards nothing from a batch unless the version allows batching", () => {
    const seen = { refusedForTheVersion: 0, plannedUnder20250326: 0 };
    fc.assert(
      fc.property(batch, version, (elements, v) => {
        const plan = inspectBody(JSON.stringify(elements), v);
        if (v !== "2025-03-26") {
          seen.refusedForTheVersion++;
          expect(plan).toMatchObject({ kind: "refuse", status: 400, error: { id: null, error: { code: -32600 } } });
        } else if (plan.kind === "messages") {
          // Under 2025-03-26 a batch is planned element by element (unless refused whole for what it carries).
          seen.plannedUnder20250326++;
          expect(plan.batch).toBe(true);
          expect(plan.items).toHaveLength(elements.length);
        }
      }),
      { numRuns: 300 },
    );
    // Both sides of the version line were met, or the property says nothing.
    expect(seen.refusedForTheVersion).toBeGreaterThan(100);
    expect(seen.plannedUnder20250326).toBeGreaterThan(0);
  });

  it("checks exactly the tools/call elements of a single message, and forwards what it checked", () => {
    let checks = 0;
    fc.assert(
      fc.property(element, version, (e, v) => {
        const plan = inspectBody(JSON.stringify(e), v);
        if (plan.kind === "refuse") return;
        const [item] = plan.items;
        if (item?.kind === "tool_call") {
          checks++;
          expect(isToolsCall(e)).toBe(true);
          expect(item.request).toEqual(JSON.parse(JSON.stringify(e)));
        }
      }),
      { numRuns: 500 },
    );
    // Single well-formed calls are a third of the elements: some must have been checked.
    expect(checks).toBeGreaterThan(50);
  });
});
