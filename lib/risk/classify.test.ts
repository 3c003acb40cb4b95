import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyTool, classifyTools } from "@/lib/risk/classify";
import { REAL_WORLD_TOOLS, type RealWorldToolCase } from "@/lib/risk/fixtures/real-world-tools";
import { compareRiskLevels } from "@/lib/risk/labels";
import { VERBS } from "@/lib/risk/signals";
import { tokenizeName, tokenizeText } from "@/lib/risk/tokenize";
import type { McpJsonSchema, McpToolDefinition, RiskCategory, ServerContext } from "@/lib/risk/types";

const DANGEROUS: ReadonlySet<RiskCategory> = new Set(["execute", "destructive", "financial", "access_control"]);

/** Each row is classified as its server would be: with the server's name and its other tools in view. */
function contextOf(row: RealWorldToolCase): ServerContext {
  const siblingToolNames = REAL_WORLD_TOOLS.filter((other) => other.server === row.server).map((other) => other.tool.name);
  return { name: row.server, siblingToolNames };
}

const classified = REAL_WORLD_TOOLS.map((row) => ({ row, result: classifyTool(row.tool, contextOf(row)) }));

function tool(name: string, description?: string, properties: Record<string, McpJsonSchema> = {}, annotations?: McpToolDefinition["annotations"]): McpToolDefinition {
  return { name, ...(description ? { description } : {}), inputSchema: { type: "object", properties }, ...(annotations ? { annotations } : {}) };
}

describe("the real-world table", () => {
  it("holds at least 150 tools from every family of server the classifier must know", () => {
    expect(REAL_WORLD_TOOLS.length).toBeGreaterThanOrEqual(150);
    const servers = new Set(REAL_WORLD_TOOLS.map((row) => row.server));
    for (const family of ["filesystem", "github", "gitlab", "slack", "discord", "gmail", "stripe", "paypal", "aws-iam", "google-cloud-iam", "kubernetes", "playwright", "puppeteer", "postgres", "mysql", "mongodb", "redis", "shell", "time", "weather", "fetch", "brave-search"]) {
      expect(servers, family).toContain(family);
    }
    for (const category of ["read", "write", "execute", "destructive", "financial", "communication", "access_control"]) {
      expect(REAL_WORLD_TOOLS.filter((row) => row.category === category).length, category).toBeGreaterThanOrEqual(8);
    }
  });

  it("bounds every row sensibly (min at most max)", () => {
    for (const { row } of classified) expect(compareRiskLevels(row.min, row.max), row.tool.name).toBeLessThanOrEqual(0);
  });
});

describe("classifyTool on real-world tools", () => {
  it.each(classified.map(({ row, result }) => [`${row.server}/${row.tool.name}`, row, result] as const))(
    "%s",
    (_label, row, result) => {
      expect(result.category).toBe(row.category);
      expect(compareRiskLevels(result.level, row.min), `${result.level} is below ${row.min}`).toBeGreaterThanOrEqual(0);
      expect(compareRiskLevels(result.level, row.max), `${result.level} is above ${row.max}`).toBeLessThanOrEqual(0);
    },
  );

  it("ranks every dangerous tool (execute, destructive, financial, access control) High or Critical", () => {
    const dangerous = classified.filter(({ result }) => DANGEROUS.has(result.category));
    expect(dangerous.length).toBeGreaterThan(60);
    for (const { result } of dangerous) expect(["high", "critical"], result.name).toContain(result.level);
  });

  it("ranks harmless reads Low, or Medium at most (reads that expose secrets aside)", () => {
    const reads = classified.filter(({ row, result }) => result.category === "read" && !row.exposesSecrets);
    expect(reads.length).toBeGreaterThan(80);
    for (const { result } of reads) expect(["low", "medium"], result.name).toContain(result.level);
    expect(reads.filter(({ result }) => result.level === "low").length / reads.length).toBeGreaterThan(0.85);
  });

  it("gives every classification reasons: non-empty sentences, none repeated", () => {
    for (const { result } of classified) {
      expect(result.reasons.length, result.name).toBeGreaterThan(0);
      expect(new Set(result.reasons).size, result.name).toBe(result.reasons.length);
      for (const reason of result.reasons) expect(reason.trim().length, result.name).toBeGreaterThan(10);
    }
  });
});

describe("precedence", () => {
  it.each([
    ["delete_file", "destructive", "high"],
    ["list_files", "read", "low"],
    ["send_email", "communication", "high"],
    ["create_payment", "financial", "critical"],
    ["refund_charge", "financial", "critical"],
    ["attach_role_policy", "access_control", "critical"],
    ["add_user_to_group", "access_control", "critical"],
    ["grant_permission", "access_control", "critical"],
    ["revoke_access", "access_control", "critical"],
    ["run_command", "execute", "critical"],
    ["execute_sql", "execute", "high"],
    ["invoke_agent_runtime", "execute", "high"],
    ["evaluate_javascript", "execute", "critical"],
    ["write_file", "write", "medium"],
    ["create_issue", "write", "medium"],
    ["update_record", "write", "medium"],
    ["drop_database", "destructive", "critical"],
    ["delete_repository", "destructive", "critical"],
    ["terminate_instances", "destructive", "critical"],
    ["purge_queue", "destructive", "critical"],
    ["search_and_replace", "write", "medium"],
    ["get_or_create_label", "write", "low"],
    ["transfer_repository", "write", "medium"],
    ["transfer_funds", "financial", "critical"],
    ["capture_screenshot", "read", "low"],
    ["capture_payment", "financial", "critical"],
    ["clear_cache", "write", "medium"],
    ["clear_database", "destructive", "critical"],
    ["generate_api_key", "access_control", "critical"],
    ["generate_report", "read", "low"],
    ["update_retention_policy", "write", "medium"],
    ["delete_resource_group", "destructive", "high"],
    ["manage_notification_subscription", "write", "medium"],
    ["start_search", "read", "low"],
    ["get_workflow_run", "read", "low"],
    ["posts_list", "read", "low"],
    ["get_secret_value", "read", "high"],
  ] as const)("%s is %s, %s", (name, category, level) => {
    const result = classifyTool(tool(name));
    expect({ category: result.category, level: result.level }).toEqual({ category, level });
  });

  it("reads SQL as Execute unless the tool only accepts reads", () => {
    expect(classifyTool(tool("query", "Run any SQL statement.", { sql: { type: "string" } })).category).toBe("execute");
    expect(classifyTool(tool("query", "Run a read-only SQL query.", { sql: { type: "string" } })).category).toBe("read");
    expect(classifyTool(tool("select_rows", "Runs SELECT-only queries.", { sql: { type: "string" } })).category).toBe("read");
    expect(classifyTool(tool("read_query", "Execute a query.", { sql: { type: "string" } })).category).toBe("read");
    // A search box's `query` is not SQL unless something says SQL.
    expect(classifyTool(tool("search_issues", "Search issues.", { query: { type: "string" } })).category).toBe("read");
    expect(classifyTool(tool("run_query", "Run a query.", { query: { type: "string" } }), { name: "postgres" }).category).toBe("execute");
  });

  it("lets arguments that run things outweigh a generic verb, but not a read verb", () => {
    expect(classifyTool(tool("create_task", "", { command: { type: "string" } })).category).toBe("execute");
    expect(classifyTool(tool("explain_command", "", { command: { type: "string" } })).category).toBe("read");
    expect(classifyTool(tool("calculate", "Calculate an expression.", { expression: { type: "string" } })).category).toBe("read");
    expect(classifyTool(tool("calculator", "Evaluates a math expression.", { expression: { type: "string" } })).category).toBe("read");
    expect(classifyTool(tool("evaluate", "Evaluates a math expression.", { code: { type: "string" } })).category).toBe("execute");
  });

  it("uses the description's verb when the name has none, or only a vague one", () => {
    expect(classifyTool(tool("cleanup_helper", "Deletes temporary files older than a week."))).toMatchObject({ category: "destructive" });
    expect(classifyTool(tool("manage_files", "Deletes files from the workspace."))).toMatchObject({ category: "destructive" });
    expect(classifyTool(tool("weather", "Get the forecast for a city."))).toMatchObject({ category: "read", level: "low" });
  });

  it("treats a tool it cannot read as a Medium write, with a reason saying so", () => {
    const result = classifyTool(tool("frobnicate"));
    expect(result).toMatchObject({ category: "write", level: "medium" });
    expect(result.reasons[0]).toMatch(/no known verb, noun or argument/);
  });
});

describe("server context", () => {
  it("raises writes on a payments or permissions server", () => {
    expect(classifyTool(tool("create_customer")).level).toBe("medium");
    expect(classifyTool(tool("create_customer"), { name: "stripe" }).level).toBe("high");
    expect(classifyTool(tool("create_user"))).toMatchObject({ category: "write", level: "medium" });
    expect(classifyTool(tool("create_user"), { name: "aws-iam" })).toMatchObject({ category: "access_control", level: "high" });
  });

  it("learns what a server is for from its sibling tools", () => {
    const result = classifyTool(tool("get_history"), { name: "acme-chat", siblingToolNames: ["get_history", "send_message", "list_channels"] });
    expect(result).toMatchObject({ category: "read", level: "medium" });
    expect(result.reasons).toContain("the name mentions history: it reads people's private messages or personal data");
  });

  it("does not raise an ordinary write because a sibling sounds like payments or permissions", () => {
    const result = classifyTool(tool("create_folder"), { name: "vault-tools", siblingToolNames: ["create_folder", "get_org_subscription", "create_org_group", "delete_org_group"] });
    expect(result).toMatchObject({ category: "write", level: "medium" });
  });

  it("treats a whole tools/list as each other's siblings", () => {
    const results = classifyTools([tool("get_history"), tool("send_message"), tool("list_channels")]);
    expect(results[0]).toMatchObject({ name: "get_history", category: "read", level: "medium" });
  });
});

describe("annotations", () => {
  const dangerous = classified.filter(({ result }) => DANGEROUS.has(result.category) || result.category === "write" || result.category === "communication");

  it("never lets readOnlyHint lower a tool: same category, same level, and a reason saying the hint was not trusted", () => {
    for (const { row, result } of dangerous) {
      const hinted = classifyTool({ ...row.tool, annotations: { readOnlyHint: true } }, contextOf(row));
      expect({ category: hinted.category, level: hinted.level }, row.tool.name).toEqual({ category: result.category, level: result.level });
      expect(hinted.reasons.at(-1), row.tool.name).toMatch(/readOnlyHint, but .* cannot lower the risk/);
    }
  });

  it("mentions readOnlyHint as support when the tool does read", () => {
    const result = classifyTool(tool("list_files", "List files.", {}, { readOnlyHint: true }));
    expect(result).toMatchObject({ category: "read", level: "low" });
    expect(result.reasons).toContain("the server declares readOnlyHint");
  });

  it("never lets destructiveHint lower a tool, raises what destroys or overwrites, and says so either way", () => {
    let destructive = 0;
    for (const { row, result } of classified) {
      const hinted = classifyTool({ ...row.tool, annotations: { destructiveHint: true } }, contextOf(row));
      expect(compareRiskLevels(hinted.level, result.level), row.tool.name).toBeGreaterThanOrEqual(0);
      expect(hinted.category, row.tool.name).toBe(result.category);
      if (result.category === "destructive") {
        destructive++;
        expect(["high", "critical"], row.tool.name).toContain(hinted.level);
      }
      expect(hinted.reasons.some((reason) => reason.includes("destructiveHint")), row.tool.name).toBe(true);
    }
    // The table's destructive tools (at least 8 rows are filed so) must have been met, or "raises" was never tried.
    expect(destructive).toBeGreaterThanOrEqual(8);
  });

  it("keeps a read a read under MCP's default destructiveHint, and tells why", () => {
    const result = classifyTool(tool("browser_hover", "Hover over an element on the page", {}, { destructiveHint: true }));
    expect(result).toMatchObject({ category: "read", level: "low" });
    expect(result.reasons).toContain("the server declares destructiveHint, but the tool's own words say it only reads: the level stays");
    expect(classifyTool(tool("replace_document", undefined, {}, { destructiveHint: true }))).toMatchObject({ category: "write", level: "high" });
  });

  it("classifies an unreadable tool from a destructiveHint, but never trusts a readOnlyHint alone", () => {
    expect(classifyTool(tool("frobnicate", undefined, {}, { destructiveHint: true }))).toMatchObject({ category: "destructive", level: "high" });
    expect(classifyTool(tool("frobnicate", undefined, {}, { readOnlyHint: true }))).toMatchObject({ category: "write", level: "medium" });
  });

  it("never lowers risk for any hint on any name built from the vocabulary (property)", () => {
    const vocabulary = [...Object.keys(VERBS), "file", "role", "policy", "payment", "email", "database", "all", "browser", "secret"];
    const names = fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 4 }).map((words) => words.join("_"));
    const argumentNames = fc.subarray(["command", "sql", "url", "amount", "to", "role", "recursive", "path", "query"]);
    const runs = { destructiveHint: 0, noDestructiveHint: 0 };
    fc.assert(
      fc.property(names, argumentNames, fc.boolean(), fc.boolean(), (name, args, readOnlyHint, destructiveHint) => {
        const properties = Object.fromEntries(args.map((arg) => [arg, { type: arg === "recursive" ? "boolean" : "string" }]));
        const plain = classifyTool(tool(name, undefined, properties));
        const hinted = classifyTool(tool(name, undefined, properties, { readOnlyHint, destructiveHint }));
        expect(compareRiskLevels(hinted.level, plain.level)).toBeGreaterThanOrEqual(0);
        if (!destructiveHint) {
          runs.noDestructiveHint++;
          expect(hinted.category).toBe(plain.category);
        } else {
          runs.destructiveHint++;
          // The hint changes the category only of a tool nothing else explains (a write until reviewed), to destructive.
          expect(plain.category === "write" ? ["write", "destructive"] : [plain.category]).toContain(hinted.category);
        }
        expect(hinted.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
    // Half the runs each way, about: both branches were tried.
    expect(runs.destructiveHint).toBeGreaterThan(100);
    expect(runs.noDestructiveHint).toBeGreaterThan(100);
  });
});

describe("reasons", () => {
  it("name the signal that produced them", () => {
    expect(classifyTool(tool("invoke_agent_runtime")).reasons).toEqual(["the name starts with invoke: it runs code or workflows"]);
    expect(classifyTool(tool("run", "", { command: { type: "string" } })).reasons).toContain("argument `command` takes a shell command");
    expect(classifyTool(tool("pods_delete")).reasons).toEqual(["the name contains delete: it removes data"]);
    expect(classifyTool(tool("create_refund")).reasons).toEqual([
      "the name starts with create: it creates or changes data",
      "the name mentions refund: it moves money",
    ]);
    expect(classifyTool(tool("fetch", "", { url: { type: "string" } })).reasons).toContain("argument `url` lets the agent reach any address");
    expect(classifyTool(tool("delete_repository", "This cannot be undone.")).reasons).toEqual([
      "the name starts with delete: it removes data",
      "the name mentions repository: removing one is hard to undo",
      "the description says it cannot be undone",
    ]);
  });
});

describe("robustness and determinism", () => {
  it.each([
    { name: "" },
    { name: 42 },
    { name: "x", description: 7, title: null, inputSchema: "nope", annotations: [] },
    { name: "run", inputSchema: { properties: { command: null, code: 3 } } },
    { name: "x", annotations: { readOnlyHint: "yes", destructiveHint: 1 } },
    null,
    "delete_everything",
  ])("does not throw on the malformed definition %j", (definition) => {
    const result = classifyTool(definition as unknown as McpToolDefinition);
    expect(result.reasons.length).toBeGreaterThan(0);
  });

  it("gives the same answer every time, whatever order the tools come in", () => {
    const tools = REAL_WORLD_TOOLS.map((row) => row.tool);
    const once = classifyTools(tools, { name: "mixed" });
    const again = classifyTools(tools, { name: "mixed" });
    const reversed = classifyTools([...tools].reverse(), { name: "mixed" }).reverse();
    expect(again).toEqual(once);
    expect(reversed).toEqual(once);
  });

  it("classifies 1,000 tools within a small multiple of reading them once", () => {
    const tools = Array.from({ length: 1000 }, (_, index) => {
      const row = REAL_WORLD_TOOLS[index % REAL_WORLD_TOOLS.length]!;
      return { ...row.tool, name: `${row.tool.name}_${index}` };
    });
    // The baseline: what any classifier must do at least, split the names and descriptions into words and read the
    // schemas. Measured in the same run, interleaved with the classifier, so a loaded machine slows both alike (a
    // fixed bound in ms measured 45 against 50 on a loaded machine, while the quiet one took 9).
    const readOnce = () => {
      let words = 0;
      for (const t of tools) words += tokenizeName(t.name).length + tokenizeText(t.description ?? "").length + JSON.stringify(t.inputSchema ?? {}).length;
      return words;
    };
    const time = (run: () => unknown) => {
      const start = performance.now();
      run();
      return performance.now() - start;
    };
    // Warm the JIT first, then take the best of several runs: the code's speed, not the machine's other load.
    for (let run = 0; run < 3; run++) {
      classifyTools(tools, { name: "warm-up" });
      readOnce();
    }
    const classify: number[] = [];
    const baseline: number[] = [];
    for (let run = 0; run < 7; run++) {
      baseline.push(time(readOnce));
      classify.push(time(() => classifyTools(tools, { name: "big-server" })));
    }
    const best = Math.min(...classify);
    const floor = Math.min(...baseline);
    console.info(`classifyTools: 1,000 tools in ${best.toFixed(1)} ms (best of 7), ${(best / floor).toFixed(1)}x reading them once (${floor.toFixed(1)} ms)`);
    // About 6.5x on the development machine; a slowdown of five times or more fails.
    expect(best / floor).toBeLessThan(35);
  });
});
