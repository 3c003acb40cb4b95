import { describe, expect, it } from "vitest";
import { toolQuestions, type ToolFacts } from "@/lib/catalog/tool-questions";

const base: ToolFacts = {
  name: "read_file",
  level: "low",
  category: "read",
  annotations: { readOnlyHint: true },
  inputSchema: { type: "object", properties: { path: { type: "string" }, head: { type: "number" } }, required: ["path"] },
  argumentNames: ["path", "head"],
  recommendation: { rule: {} },
  server: { name: "io.example/files", title: "Files", packages: [{ registryType: "npm", identifier: "files", environmentVariables: [] }], remotes: [] },
};

const answer = (facts: ToolFacts, start: string) => toolQuestions(facts).find((q) => q.question.startsWith(start))?.answer;

describe("a catalog tool's questions", () => {
  it("answers each from the tool's own data: a read-only tool, its arguments, its rule, its package's environment", () => {
    expect(toolQuestions(base)).toEqual([
      {
        question: "Can read_file change or delete anything?",
        answer: "Not by its own account: its name and description describe a read. Low risk. The server marks it read-only.",
      },
      {
        question: "What does an agent pass to read_file?",
        answer: "2 arguments: `path` and `head` (required: `path`). A policy can limit each one's values (argument constraints) so a call outside them is refused before it reaches the server.",
      },
      {
        question: "Will Portcullis let an agent call read_file?",
        answer:
          "Only as the server's policy says. The rule recommended here, for a low-risk tool, allows it, and every call is recorded; a policy without a rule for it applies its own default (deny or allow, as written), and a server with no policy saved yet has every tool denied.",
      },
      { question: "Does Files need credentials?", answer: "Its package declares no environment variables, so it starts without credentials of its own." },
    ]);
  });

  it("says a writing tool changes things, with the server's own marks, or that it declares none", () => {
    const deleting: ToolFacts = { ...base, name: "delete_file", level: "high", category: "destructive", annotations: { readOnlyHint: false, destructiveHint: true } };
    expect(answer(deleting, "Can delete_file")).toBe("Yes. Deletes or overwrites data. High risk. The server marks it as one that changes things and marks it destructive.");
    const unmarked: ToolFacts = { ...base, name: "send_email", level: "high", category: "communication", annotations: null };
    expect(answer(unmarked, "Can send_email")).toBe(
      "Yes. Sends messages or publishes to people. High risk. The server declares nothing about it (no read-only or destructive mark).",
    );
  });

  it("describes the recommended rule as it is: refused, held, or rate-limited", () => {
    expect(answer({ ...base, level: "critical", recommendation: { rule: { action: "deny" } } }, "Will Portcullis")).toContain("for a critical-risk tool, refuses every call to it;");
    expect(answer({ ...base, level: "high", recommendation: { rule: { action: "require_approval" } } }, "Will Portcullis")).toContain("holds each call until a person approves it;");
    expect(answer({ ...base, level: "medium", recommendation: { rule: { limits: [{ counter: "c", window: "minute", max: 10, scope: "grant" }] } } }, "Will Portcullis")).toContain(
      "allows it with a rate limit;",
    );
  });

  it("names the arguments all required, none required, or none at all", () => {
    expect(answer({ ...base, inputSchema: { required: ["path", "head"] } }, "What does")).toContain("`path` and `head` (all required).");
    expect(answer({ ...base, inputSchema: {} }, "What does")).toContain("`path` and `head`, none of them required.");
    expect(answer({ ...base, argumentNames: ["path"], inputSchema: { required: ["path"] } }, "What does")).toMatch(/^One argument: `path` \(all required\)\./);
    expect(answer({ ...base, argumentNames: [], inputSchema: {} }, "What does")).toBe("Nothing: its input schema declares no arguments.");
  });

  it("asks about credentials only when the package declares its environment, naming the secret ones", () => {
    const withSecrets: ToolFacts = {
      ...base,
      server: {
        ...base.server,
        packages: [{ environmentVariables: [{ name: "SITE", isRequired: true }, { name: "API_TOKEN", isRequired: true, isSecret: true }] }],
      },
    };
    expect(answer(withSecrets, "Does Files")).toBe(
      "Yes: its package declares `API_TOKEN` as secret, and also `SITE`. They stay on the machine that runs it; Portcullis stores only the credentials you give it for the HTTP connection, encrypted.",
    );
    const remoteOnly: ToolFacts = { ...base, server: { ...base.server, packages: [], remotes: [{ type: "streamable-http", url: "https://x.example/mcp" }] } };
    expect(toolQuestions(remoteOnly).map((q) => q.question)).not.toContain("Does Files need credentials?");
    expect(toolQuestions(remoteOnly)).toHaveLength(3);
  });
});
