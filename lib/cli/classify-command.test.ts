import { describe, expect, it } from "vitest";
import { CLASSIFY_USAGE, classifyCommand } from "@/lib/cli/classify-command";
import type { CliIo } from "@/lib/cli/io";

/** An io whose files and stdin are in memory, capturing what the command writes. */
function fakeIo(files: Record<string, string> = {}, stdin = "") {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    readStdin: async () => stdin,
    readFile: async (path) => {
      if (path in files) return files[path]!;
      if (path === "some-dir") throw Object.assign(new Error("EISDIR: illegal operation on a directory"), { code: "EISDIR" });
      if (path === "locked.json") throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" });
    },
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}

const TOOLS = [
  { name: "list_files", description: "List the files in a folder.", inputSchema: { type: "object", properties: { path: { type: "string" } } } },
  { name: "run_command", description: "Run a shell command.", inputSchema: { type: "object", properties: { command: { type: "string" } } } },
  { name: "delete_repository", annotations: { destructiveHint: true } },
];

function lines(text: string): Record<string, unknown>[] {
  return text.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("portcullis classify", () => {
  it.each([
    ["a JSON array of tools", TOOLS],
    ["a tools/list result", { tools: TOOLS, nextCursor: undefined }],
    ["a whole JSON-RPC response", { jsonrpc: "2.0", id: 1, result: { tools: TOOLS } }],
  ])("prints one JSON line per tool for %s", async (_label, content) => {
    const { io, stdout, stderr } = fakeIo({ "tools.json": JSON.stringify(content) });
    expect(await classifyCommand(["tools.json"], io)).toBe(0);
    expect(stderr()).toBe("");
    const printed = lines(stdout());
    expect(printed.map((line) => Object.keys(line))).toEqual(Array(3).fill(["name", "category", "level", "reasons"]));
    expect(printed.map(({ name, category, level }) => [name, category, level])).toEqual([
      ["list_files", "read", "low"],
      ["run_command", "execute", "critical"],
      ["delete_repository", "destructive", "critical"],
    ]);
    expect(printed.map((line) => line.reasons)).toEqual([
      ["the name starts with list: it only reads"],
      ["the name starts with run: it runs code or workflows", "argument `command` takes a shell command"],
      [
        "the name starts with delete: it removes data",
        "the name mentions repository: removing one is hard to undo",
        "the server declares destructiveHint: it may delete or overwrite data",
      ],
    ]);
  });

  it("reads standard input for -", async () => {
    const { io, stdout } = fakeIo({}, JSON.stringify({ tools: [{ name: "get_forecast" }] }));
    expect(await classifyCommand(["-"], io)).toBe(0);
    expect(lines(stdout())).toEqual([
      { name: "get_forecast", category: "read", level: "low", reasons: ["the name starts with get: it only reads"] },
    ]);
  });

  it("prints nothing, successfully, for a server without tools", async () => {
    const { io, stdout } = fakeIo({ "empty.json": '{"tools": []}' });
    expect(await classifyCommand(["empty.json"], io)).toBe(0);
    expect(stdout()).toBe("");
  });

  it("lets --server name the server, whose purpose informs the risk", async () => {
    const file = { "stripe.json": JSON.stringify([{ name: "create_customer" }]) };
    const plain = fakeIo(file);
    await classifyCommand(["stripe.json"], plain.io);
    const withServer = fakeIo(file);
    expect(await classifyCommand(["--server", "stripe", "stripe.json"], withServer.io)).toBe(0);
    expect(lines(plain.stdout())[0]?.level).toBe("medium");
    expect(lines(withServer.stdout())[0]?.level).toBe("high");
    const equals = fakeIo(file);
    await classifyCommand(["--server=stripe", "stripe.json"], equals.io);
    expect(equals.stdout()).toBe(withServer.stdout());
  });

  it.each([["--help"], ["-h"], ["tools.json", "--help"]])("prints usage for %j and succeeds", async (...args) => {
    const { io, stdout, stderr } = fakeIo();
    expect(await classifyCommand(args, io)).toBe(0);
    expect(stdout()).toBe(CLASSIFY_USAGE);
    expect(stderr()).toBe("");
  });

  it.each([
    [[], "error: Name the file of tools to classify (or - for standard input)."],
    [["a.json", "b.json"], 'error: Unexpected argument "b.json": give one file of tools.'],
    [["--verbose", "a.json"], "error: Unknown option --verbose."],
    [["a.json", "--server"], "error: --server needs the server's name."],
  ])("refuses the arguments %j with usage, exit 2", async (args, message) => {
    const { io, stdout, stderr } = fakeIo();
    expect(await classifyCommand(args, io)).toBe(2);
    expect(stdout()).toBe("");
    expect(stderr()).toBe(`${message}\n\n${CLASSIFY_USAGE}`);
  });

  it.each([
    ["missing.json", {}, "error: cannot read missing.json: there is no such file; check the path.\n"],
    ["some-dir", {}, "error: cannot read some-dir: it is a directory; name a JSON file.\n"],
    ["locked.json", {}, "error: cannot read locked.json: permission denied; check the file's permissions.\n"],
    [
      "blank.json",
      { "blank.json": "  \n" },
      'error: blank.json is empty: expected a JSON array of tool definitions, {"tools": [...]}, or {"result": {"tools": [...]}}.\n',
    ],
    [
      "object.json",
      { "object.json": '{"name": "one_tool"}' },
      'error: object.json is not a list of tools: expected a JSON array of tool definitions, {"tools": [...]}, or {"result": {"tools": [...]}}.\n',
    ],
    [
      "rpc-error.json",
      { "rpc-error.json": '{"jsonrpc": "2.0", "id": 1, "error": {"code": -32601, "message": "Method not found"}}' },
      "error: rpc-error.json holds a JSON-RPC error (-32601: Method not found), not a tools/list result; fix the request and save the response again.\n",
    ],
    [
      "nameless.json",
      { "nameless.json": '[{"name": "ok"}, {"description": "no name here"}]' },
      'error: tool #2 in nameless.json has no name: every MCP tool needs a non-empty string "name".\n',
    ],
    [
      "blank-name.json",
      { "blank-name.json": '{"tools": [{"name": "  "}]}' },
      'error: tool #1 in blank-name.json has no name: every MCP tool needs a non-empty string "name".\n',
    ],
    [
      "strings.json",
      { "strings.json": '["list_files"]' },
      'error: tool #1 in strings.json is not an object: each tool is a JSON object with a "name".\n',
    ],
  ])("fails on %s with a sentence saying what to do, exit 2", async (file, files, message) => {
    const { io, stdout, stderr } = fakeIo(files);
    expect(await classifyCommand([file], io)).toBe(2);
    expect(stdout()).toBe("");
    expect(stderr()).toBe(message);
  });

  it("says where JSON broke", async () => {
    const { io, stderr } = fakeIo({ "broken.json": '{"tools": [' });
    expect(await classifyCommand(["broken.json"], io)).toBe(2);
    expect(stderr()).toMatch(/^error: broken\.json is not valid JSON \(.+\); save the tools\/list response as JSON\.\n$/);
  });

  it("names standard input as <stdin> in errors", async () => {
    const { io, stderr } = fakeIo({}, "not json");
    expect(await classifyCommand(["-"], io)).toBe(2);
    expect(stderr()).toMatch(/^error: <stdin> is not valid JSON/);
  });
});
