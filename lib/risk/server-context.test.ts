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
      { name: "acme-chat", siblingToolNames: ["list_channels", "send_message", "get_thread"] },
      "messaging",
      "sibling tools such as get_thread and list_channels",
    ],
    [{ name: "acme-keys", description: "Bitwarden access for agents" }, "secrets", "its description mentions bitwarden"],
  ] as const)("recognises %j as %s", (context, domain, evidence) => {
    expect(prepareServerContext(context).domains.get(domain)).toBe(evidence);
  });

  it("needs two siblings before a domain counts, so one incidental tool does not colour a server", () => {
    expect(prepareServerContext({ siblingToolNames: ["create_issue", "send_message"] }).domains.has("messaging")).toBe(false);
    expect(prepareServerContext({ siblingToolNames: ["send_message", "list_channels"] }).domains.has("messaging")).toBe(true);
  });

  it("learns payments and permissions only from the server's own name or description, never from its siblings", () => {
    // A password manager with `get_org_subscription` and `create_org_group` is not a payments or an IAM server.
    const siblings = ["create_refund", "list_charges", "add_inline_policy", "add_user_to_group", "create_org_group"];
    const domains = prepareServerContext({ name: "vault-tools", siblingToolNames: siblings }).domains;
    expect(domains.has("payments")).toBe(false);
    expect(domains.has("permissions")).toBe(false);
  });

  it("knows nothing without context, and survives malformed context", () => {
    expect(prepareServerContext().domains.size).toBe(0);
    const malformed = { name: 42, description: null, siblingToolNames: "x" } as unknown as Parameters<typeof prepareServerContext>[0];
    expect(prepareServerContext(malformed).domains.size).toBe(0);
  });
});
