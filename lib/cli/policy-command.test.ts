import { describe, expect, it } from "vitest";
import type { CliIo } from "@/lib/cli/io";
import { policyCommand, POLICY_USAGE } from "@/lib/cli/policy-command";

const SEED = `{ "version": "1", "default": "deny",
  "tools": { "invoke_agent_runtime": { "limits": [
    { "counter": "invoke_agent_runtime_rate", "window": "minute", "max": 10, "scope": "grant" } ] } } }`;

const WITH_TESTS = JSON.stringify(
  {
    version: "1",
    default: "deny",
    tools: {
      "get_*": {},
      "delete_*": { action: "deny" },
      refund: { args: { amount: { maximum: 100 } }, limits: [{ counter: "refunds", window: "hour", max: 1, scope: "grant" }] },
    },
    tests: [
      { tool: "get_user", expect: "allow" },
      { tool: "delete_repo", expect: "deny" },
      { name: "big refund", tool: "refund", args: { amount: 500 }, expect: "deny" },
      { name: "second refund", tool: "refund", args: { amount: 5 }, usage: { refunds: 1 }, expect: "rate_limited" },
    ],
  },
  null,
  2,
);

function fakeIo(files: Record<string, string>, stdin = "") {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    readStdin: async () => stdin,
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}

async function run(args: string[], files: Record<string, string> = {}, stdin?: string) {
  const fake = fakeIo(files, stdin);
  const code = await policyCommand(args, fake.io);
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

describe("portcullis policy validate", () => {
  it("accepts the seed policy", async () => {
    const result = await run(["validate", "seed.json"], { "seed.json": SEED });
    expect(result).toEqual({ code: 0, stdout: "seed.json: valid policy (1 rule, default deny).\n", stderr: "" });
  });

  it("reads standard input for -", async () => {
    const result = await run(["validate", "-"], {}, SEED);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("<stdin>: valid policy (1 rule, default deny).\n");
  });

  it("mentions the examples it did not run", async () => {
    const result = await run(["validate", "p.json"], { "p.json": WITH_TESTS });
    expect(result.stdout).toBe('p.json: valid policy (3 rules, default deny; 4 examples, run them with "portcullis policy test").\n');
  });

  it.each<[string, string, string[]]>([
    [
      "a misspelt window and a zero max",
      `{
  "version": "1",
  "default": "deny",
  "tools": {
    "invoke_agent_runtime": { "limits": [
      { "counter": "rate", "window": "minutes", "max": 0, "scope": "grant" } ] }
  }
}`,
      [
        'error: p.json:6:28: /tools/invoke_agent_runtime/limits/0/window: `window` must be one of second, minute, hour, day; got "minutes" (did you mean "minute"?).',
        'error: p.json:6:49: /tools/invoke_agent_runtime/limits/0/max: `max` must be 1 or more; got 0. To refuse every call, use "action": "deny".',
        "p.json: invalid policy, 2 errors.",
      ],
    ],
    [
      "a syntax error",
      '{ "version": "1", "default": "deny", "tools": { "a": {} }, }',
      ["error: p.json:1:58: Trailing comma: JSON does not allow a comma after the last property.", "p.json: invalid policy, 1 error."],
    ],
    [
      "an unknown key",
      '{ "version": "1", "default": "deny", "tools": { "a": { "acton": "deny" } } }',
      [
        "error: p.json:1:56: /tools/a/acton: Unknown key `acton` in the rule for `a`. Did you mean `action`? Allowed keys: action, reason, limits, args, approval_timeout_seconds.",
        "p.json: invalid policy, 1 error.",
      ],
    ],
    [
      "conflicting definitions of a shared counter",
      '{"version":"1","default":"deny","tools":{"a":{"limits":[{"counter":"c","window":"minute","max":5,"scope":"grant"}]},\n"b":{"limits":[{"counter":"c","window":"minute","max":9,"scope":"grant"}]}}}',
      [
        'error: p.json:2:49: /tools/b/limits/0/max: Counter `c` is defined at /tools/a/limits/0 with max 5, here with 9: rules naming the same counter share one budget, so its window, max and scope must be the same everywhere.',
        "p.json: invalid policy, 1 error.",
      ],
    ],
    [
      "a missing default and a numeric version",
      '{"version": 1, "tools": {}}',
      [
        'error: p.json:1:1: /default: `default` is missing: add "default": "deny" to refuse tools that no rule names, or "allow" to let them through.',
        'error: p.json:1:2: /version: `version` must be the string "1", in quotes; got the number 1.',
        "p.json: invalid policy, 2 errors.",
      ],
    ],
    ["an empty file", "", ["error: p.json:1:1: The document is empty: expected a JSON object such as {\"version\": \"1\", ...}.", "p.json: invalid policy, 1 error."]],
  ])("refuses %s with exit 1, each error at FILE:LINE:COLUMN and its JSON Pointer", async (_name, text, lines) => {
    const result = await run(["validate", "p.json"], { "p.json": text });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd().split("\n")).toEqual(lines);
  });

  it("prints warnings on stderr with the warning: prefix, and still succeeds", async () => {
    const policy = '{"version":"1","default":"deny","tools":{"get_usr":{},"delete_*":{"action":"deny","limits":[{"counter":"d","window":"day","max":1,"scope":"grant"}]}}}';
    const tools = JSON.stringify({ tools: [{ name: "get_user" }, { name: "delete_user" }] });
    const result = await run(["validate", "p.json", "--tools", "tools.json"], { "p.json": policy, "tools.json": tools });
    expect(result.code).toBe(0);
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      "warning: p.json:1:42: /tools/get_usr: This server has no tool named `get_usr` (did you mean `get_user`?): the rule has no effect unless such a tool appears.",
      "warning: p.json:1:83: /tools/delete_*/limits: Limits on a deny rule never count: its calls are refused before any counter is checked. Remove the limits or change the action.",
    ]);
    expect(result.stdout).toBe("p.json: valid policy (2 rules, default deny, 2 warnings).\n");
  });

  it("accepts --tools=FILE with a plain array of names", async () => {
    const result = await run(["validate", "--tools=t.json", "seed.json"], { "seed.json": SEED, "t.json": '["invoke_agent_runtime"]' });
    expect(result).toMatchObject({ code: 0, stderr: "" });
  });
});

describe("portcullis policy test", () => {
  it("runs the examples and succeeds when all pass", async () => {
    const result = await run(["test", "p.json"], { "p.json": WITH_TESTS });
    expect(result).toEqual({ code: 0, stdout: "p.json: all 4 examples passed (3 rules, default deny).\n", stderr: "" });
  });

  it("succeeds on the seed, which has no examples, and says so", async () => {
    const result = await run(["test", "seed.json"], { "seed.json": SEED });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('seed.json: valid policy (1 rule, default deny); it has no examples to run (add some under "tests").\n');
  });

  it("fails with exit 1 and shows each failing example at its line", async () => {
    const failing = WITH_TESTS.replace('"expect": "rate_limited"', '"expect": "allow"');
    const result = await run(["test", "p.json"], { "p.json": failing });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^error: p\.json:\d+:5: \/tests\/3: Test "second refund" \(`refund`\) expected allow but got rate_limited \(rate_limited; rule `refund` applied\): Rate limited .* Retry after \d+ seconds\.$/);
    expect(lines[1]).toBe("p.json: 1 of 4 examples failed.");
  });

  it("does not run the examples of an invalid policy", async () => {
    const result = await run(["test", "p.json"], { "p.json": '{"version":"1","default":"deny","tests":[{"tool":"x","expect":"maybe"}]}' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\/tests\/0\/expect: `expect` must be one of allow, deny, require_approval, rate_limited; got "maybe"/);
  });
});

describe("portcullis policy usage", () => {
  it.each([["--help"], ["validate", "-h"], ["test", "x.json", "--help"]])("prints help on stdout for %j", async (...args) => {
    const result = await run(args);
    expect(result).toEqual({ code: 0, stdout: POLICY_USAGE, stderr: "" });
  });

  it.each<[string[], string]>([
    [[], "error: Name a command: validate or test."],
    [["check", "p.json"], 'error: Unknown command "check": use validate or test.'],
    [["validate"], "error: Name the policy file to validate (or - for standard input)."],
    [["validate", "a.json", "b.json"], 'error: Unexpected argument "b.json": give one policy file.'],
    [["validate", "--strict", "a.json"], "error: Unknown option --strict."],
    [["validate", "a.json", "--tools"], "error: --tools needs a file name."],
  ])("exits 2 for %j", async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(`${message}\n\n${POLICY_USAGE}`)).toBe(true);
  });

  it("exits 2 when the policy file cannot be read", async () => {
    const result = await run(["validate", "missing.json"]);
    expect(result).toEqual({ code: 2, stdout: "", stderr: "error: cannot read missing.json: ENOENT: no such file or directory, open 'missing.json'\n" });
  });

  it.each<[string, string]>([
    ["{", "it is not valid JSON"],
    ['{"a": 1}', "expected an array of tool names"],
    ["[1]", 'every tool must be a name or an object with a "name"'],
  ])("exits 2 for a tools file holding %j", async (tools, message) => {
    const result = await run(["validate", "seed.json", "--tools", "t.json"], { "seed.json": SEED, "t.json": tools });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: cannot use the tools file t.json: ${message}`);
  });

  it("exits 2 when the tools file cannot be read", async () => {
    const result = await run(["validate", "seed.json", "--tools", "none.json"], { "seed.json": SEED });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: cannot read the tools file none\.json: ENOENT/);
  });
});
