import { describe, expect, it } from "vitest";
import { errorMessage, plainText, stderrSummary } from "@/lib/catalog/crawl/crawl-error";

describe("stderrSummary", () => {
  it("keeps the last two useful lines: no stack frames, no Node banner, no caret line", () => {
    const stderr = [
      "Starting server",
      "/app/dist/index.js:12",
      "    throw new Error('API key missing');",
      "    ^",
      "",
      "Error: API key missing",
      "    at main (/app/dist/index.js:12:11)",
      "    at node:internal/main:1:1",
      "",
      "Node.js v20.20.2",
      "",
    ].join("\n");
    expect(stderrSummary(stderr)).toBe("throw new Error('API key missing'); | Error: API key missing");
  });

  it("strips colours and control characters, and clamps", () => {
    expect(stderrSummary("\u001b[31mfatal\u001b[0m: no\u0007 token\r\n")).toBe("fatal: no token");
    expect(stderrSummary("x".repeat(500), 50)).toBe(`${"x".repeat(49)}…`);
    expect(stderrSummary("")).toBe("");
  });
});

describe("plainText", () => {
  it("repairs broken Unicode", () => {
    expect(plainText("a\ud800b", 10)).toBe("a\uFFFDb");
  });
});

describe("stderrSummary after a JSON dump", () => {
  it("skips lines of brackets alone", () => {
    expect(stderrSummary('Invalid environment: [\n  {\n    "path": ["TOKEN"],\n    "message": "Required"\n  }\n]\n')).toBe('"path": ["TOKEN"], | "message": "Required"');
  });
});

describe("stderrSummary with a usage text after the error", () => {
  it("shows the error line and the one after it", () => {
    expect(stderrSummary("Error: no kubeconfig context\nConfigure a context first\nUsage:\n  server [flags]\nFlags:\n  --log-file string  Set to stderr to log to the standard error stream\n  --port int\n")).toBe("Error: no kubeconfig context | Configure a context first");
    expect(stderrSummary("[ERROR] FATAL: no token\nhelp line 1\nhelp line 2\nhelp line 3\n")).toBe("[ERROR] FATAL: no token | help line 1");
  });
});

describe("errorMessage", () => {
  it("summarizes the SDK's schema issues by the first one, at its path", () => {
    const issues = [
      { code: "invalid_value", path: ["tools", 0, "inputSchema", "type"], message: 'Invalid input: expected "object"' },
      { code: "invalid_value", path: ["tools", 1, "inputSchema", "type"], message: 'Invalid input: expected "object"' },
    ];
    expect(errorMessage(JSON.stringify(issues, null, 2))).toBe('the answer does not follow the MCP schema: tools[0].inputSchema.type: Invalid input: expected "object" (and 1 more)');
    expect(errorMessage("MCP error -32603: fetch failed")).toBe("MCP error -32603: fetch failed");
  });
});
