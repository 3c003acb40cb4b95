import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The installed `portcullis` command, run as a process the way `npx portcullis` runs it (from another folder).

const bin = path.resolve("packages/cli/bin/portcullis.mjs");
const dir = mkdtempSync(path.join(os.tmpdir(), "portcullis-cli-"));

function run(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, input, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("portcullis CLI", () => {
  it("classifies a tools/list result from stdin, one JSON line per tool", () => {
    const tools = { tools: [{ name: "run_shell", description: "Run a shell command", inputSchema: { type: "object", properties: { command: { type: "string" } } } }, { name: "get_time" }] };
    const { code, stdout } = run(["classify", "-"], JSON.stringify(tools));
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => Object.keys(l))).toEqual([["name", "category", "level", "reasons"], ["name", "category", "level", "reasons"]]);
    expect(lines[0]).toMatchObject({ name: "run_shell", category: "execute" });
    expect(["high", "critical"]).toContain(lines[0].level);
    expect(lines[1]).toMatchObject({ name: "get_time", category: "read", level: "low" });
  });

  it("validates the seed policy and refuses a broken one with paths and positions on stderr", () => {
    const seed = path.join(dir, "seed.json");
    writeFileSync(seed, '{ "version": "1", "default": "deny",\n  "tools": { "invoke_agent_runtime": { "limits": [\n    { "counter": "invoke_agent_runtime_rate", "window": "minute", "max": 10, "scope": "grant" } ] } } }');
    expect(run(["policy", "validate", "seed.json"]).code).toBe(0);
    expect(run(["policy", "test", "seed.json"]).code).toBe(0);
    writeFileSync(path.join(dir, "broken.json"), '{ "version": "1", "default": "deny", "tools": { "x": { "actoin": "deny" } } }');
    const broken = run(["policy", "validate", "broken.json"]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.json:1:\d+: \/tools\/x\/actoin/);
  });

  it("says how to use it", () => {
    expect(run([]).code).toBe(2);
    expect(run(["--help"]).stdout).toMatch(/Usage: portcullis <command>/);
    expect(run(["classify", "missing.json"]).code).toBe(2);
  });
});
