import { describe, expect, it } from "vitest";
import { prepareServerContext } from "@/lib/risk/server-context";

describe("prepareServerContext", () => {
  it.each([
    [{ name: "stripe" }, "payments", "its name mentions stripe"],
    [{ name: "@modelcontextprotocol/server-postgres" }, "database", "its name mentions postgres"],
    [{ name: "aws-iam" }, "permissions", "its name mentions iam"],
    [{ name: "Slack MCP" }, "messaging", "its name mentions slack"],
    [{ name: "acme", description: "Manage IAM users, roles and policies" }, "permissions", "its description mentions iam"],
    [
      { name: "amazon-q", siblingToolNames: ["invoke_agent_runtime", "add_inline_policy", "add_user_to_group"] },
      "permissions",
      "sibling tools such as add_inline_policy and add_user_to_group",
    ],
  ] as const)("recognises %j as %s", (context, domain, evidence) => {
    expect(prepareServerContext(context).domains.get(domain)).toBe(evidence);
  });

  it("needs two siblings before a domain counts, so one incidental tool does not colour a server", () => {
    expect(prepareServerContext({ siblingToolNames: ["create_issue", "create_refund"] }).domains.has("payments")).toBe(false);
    expect(prepareServerContext({ siblingToolNames: ["create_refund", "list_charges"] }).domains.has("payments")).toBe(true);
  });

  it("knows nothing without context, and survives malformed context", () => {
    expect(prepareServerContext().domains.size).toBe(0);
    const malformed = { name: 42, description: null, siblingToolNames: "x" } as unknown as Parameters<typeof prepareServerContext>[0];
    expect(prepareServerContext(malformed).domains.size).toBe(0);
  });
});
