import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyTool, classifyTools } from "@/lib/risk/classify";
import { REAL_WORLD_TOOLS, type RealWorldToolCase } from "@/lib/risk/fixtures/real-world-tools";
import { compareRiskLevels } from "@/lib/risk/labels";
import { VERBS } from "@/lib/risk/signals";
import { tokenizeName, tokenizeText } from "@/lib/risk/tokenize";
import type { McpJsonSchema, McpToolDefinition, RiskCategory, RiskLevel, ServerContext } from "@/lib/risk/types";

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

  it("does not claim a deletion judged as access control says nothing of deleting, under destructiveHint", () => {
    const result = classifyTool(tool("delete_folder_permission", "Removes one sharing permission from a folder", {}, { destructiveHint: true }));
    expect(result.category).toBe("access_control");
    expect(result.reasons).toContain("the server declares destructiveHint, as the tool's own words say it deletes: the level stays");
    expect(result.reasons.some((reason) => reason.includes("nothing in the tool's own words says it deletes"))).toBe(false);
  });

  it("classifies an unreadable tool from its hints, and says when only the readOnlyHint settled it", () => {
    expect(classifyTool(tool("frobnicate", undefined, {}, { destructiveHint: true }))).toMatchObject({ category: "destructive", level: "high" });
    expect(classifyTool(tool("frobnicate", undefined, {}, {}))).toMatchObject({ category: "write", level: "medium" });
    const hinted = classifyTool(tool("frobnicate", undefined, {}, { readOnlyHint: true }));
    expect(hinted).toMatchObject({ category: "read", level: "low" });
    expect(hinted.reasons).toEqual(["no known verb says what it does, and the server declares readOnlyHint: it only reads"]);
    // Both hints at once: the one that raises wins.
    expect(classifyTool(tool("frobnicate", undefined, {}, { readOnlyHint: true, destructiveHint: true }))).toMatchObject({ category: "destructive", level: "high" });
    // A vague verb with nothing in the description is settled too; a verb in the description is not.
    expect(classifyTool(tool("handle_shape", undefined, {}, { readOnlyHint: true }))).toMatchObject({ category: "read", level: "low" });
    expect(classifyTool(tool("buffer_tool", "Creates a buffer around a shape.", {}, { readOnlyHint: true }))).toMatchObject({ category: "write", level: "medium" });
  });

  it("never lowers risk for any hint on any name built from the vocabulary, except a readOnlyHint on words that say nothing (property)", () => {
    const vocabulary = [...Object.keys(VERBS), "file", "role", "policy", "payment", "email", "database", "all", "browser", "secret"];
    const names = fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 4 }).map((words) => words.join("_"));
    const argumentNames = fc.subarray(["command", "sql", "url", "amount", "to", "role", "recursive", "path", "query"]);
    const runs = { destructiveHint: 0, noDestructiveHint: 0, settled: 0 };
    fc.assert(
      fc.property(names, argumentNames, fc.boolean(), fc.boolean(), (name, args, readOnlyHint, destructiveHint) => {
        const properties = Object.fromEntries(args.map((arg) => [arg, { type: arg === "recursive" ? "boolean" : "string" }]));
        const plain = classifyTool(tool(name, undefined, properties));
        const hinted = classifyTool(tool(name, undefined, properties, { readOnlyHint, destructiveHint }));
        const settled = hinted.reasons.some((reason) => /server declares readOnlyHint(, and its words name no change)?: it only reads$/.test(reason));
        if (settled) {
          // Only a readOnlyHint, only on a write that nothing but a vague verb or nothing at all explained.
          runs.settled++;
          expect(readOnlyHint && !destructiveHint).toBe(true);
          expect(plain.category).toBe("write");
          expect(plain.level === "low" || plain.level === "medium", plain.reasons.join(" | ")).toBe(true);
          // No verb but a vague one, nothing from a description, no argument that runs or sends anything.
          const verbReasons = plain.reasons.filter((reason) => /^the name (starts with|contains) /.test(reason) && !reason.includes("says little"));
          expect(verbReasons, plain.reasons.join(" | ")).toEqual([]);
          expect(plain.reasons.some((reason) => /^argument `.*` (takes|names)/.test(reason)), plain.reasons.join(" | ")).toBe(false);
          expect(hinted).toMatchObject({ category: "read" });
          return;
        }
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

// Signals added in classifier 2026.12.2 (version 3), each learned from the tuning half of risk-set/ and stated in
// docs/risk-levels.md. Every case pairs the signal with the same tool without it, so each test fails if the signal
// stops working or starts firing where it should not.
describe("what a tool's arguments and its server's name say (2026.12.2)", () => {
  const enumOf = (...values: string[]): McpJsonSchema => ({ type: "string", enum: values });

  it("reads an argument that picks the operation: any change among them makes a write, judged by the worst of them", () => {
    const branch = classifyTool(tool("git_branch", "Lists the branches of the repository.", { mode: enumOf("list", "create", "rename", "show-current") }));
    expect(branch).toMatchObject({ category: "write", level: "medium" });
    expect(branch.reasons).toContain("argument `mode` picks among operations (list, create, rename, show): it changes data");
    // 2026.12.6: an operation that deletes makes the tool a deletion (the first category that fits).
    const deleting = classifyTool(tool("git_branch", "Lists the branches of the repository.", { mode: enumOf("list", "create", "delete", "show-current") }));
    expect(deleting).toMatchObject({ category: "destructive", level: "high" });
    expect(deleting.reasons).toContain("one of them is delete: it removes data");
    expect(classifyTool(tool("git_branch", "Lists the branches of the repository.", { mode: { type: "string" } }))).toMatchObject({ category: "read" });
    // All reads: a read, and said so.
    expect(classifyTool(tool("workspace_info", undefined, { action: enumOf("get", "list", "search") }))).toMatchObject({ category: "read", level: "low" });
    // `operation` before `command`: the latter lists SQL commands a policy covers, not what the tool does.
    const rls = tool("pg_rls", undefined, { command: enumOf("select", "insert"), operation: enumOf("get", "list") });
    expect(classifyTool(rls).category).toBe("read");
    // On a database server, changing its structure that way is High; its data, not.
    const indexes = tool("pg_indexes", undefined, { operation: enumOf("get", "create", "drop") });
    expect(classifyTool(indexes, { name: "postgres" })).toMatchObject({ category: "write", level: "high" });
    expect(classifyTool(tool("redis_keys", undefined, { operation: enumOf("get", "set", "del") }), { name: "redis" })).toMatchObject({ level: "medium" });
  });

  it("raises a write whose switch deletes data too, and only a switch", () => {
    const properties = { inputPath: { type: "string" } } satisfies Record<string, McpJsonSchema>;
    expect(classifyTool(tool("import_table_data", undefined, properties)).level).toBe("medium");
    const truncating = classifyTool(tool("import_table_data", undefined, { ...properties, truncateFirst: { type: "boolean" } }));
    expect(truncating.level).toBe("high");
    expect(truncating.reasons).toContain("argument `truncateFirst` makes the same call delete data as well");
    expect(classifyTool(tool("import_table_data", undefined, { ...properties, truncateFirst: { type: "string" } })).level).toBe("medium");
    // A read that strips parts of what it returns deletes nothing.
    expect(classifyTool(tool("get_visible_html", undefined, { removeScripts: { type: "boolean" } })).level).toBe("low");
  });

  it("raises a read whose switch returns secrets, or that takes a script to run", () => {
    expect(classifyTool(tool("query_functions", "Lists cloud functions.", {})).level).toBe("low");
    const revealing = classifyTool(tool("query_functions", "Lists cloud functions.", { revealEnvValues: { type: "boolean" } }));
    expect(revealing).toMatchObject({ category: "read", level: "high" });
    expect(revealing.reasons).toContain("argument `revealEnvValues` makes it return secrets in plain text");
    expect(classifyTool(tool("query_functions", "Lists cloud functions.", { includeDetails: { type: "boolean" } })).level).toBe("low");
    const navigate = classifyTool(tool("navigate_page", "Opens a URL.", { url: { type: "string" }, initScript: { type: "string" } }));
    expect(navigate).toMatchObject({ category: "read", level: "high" });
    // Code handed to a read is code to look at.
    expect(classifyTool(tool("explain_code", "Explains a snippet.", { code: { type: "string" } })).level).toBe("low");
  });

  it("counts a service's variables and a connection string as secrets, even listed", () => {
    expect(classifyTool(tool("list_service_variables")).level).toBe("high");
    expect(classifyTool(tool("get_connection_string")).level).toBe("high");
    expect(classifyTool(tool("list_dashboard_variables")).level).toBe("low");
  });

  it("treats a file written on a code host as a commit to a shared branch, and ignores the registry namespace", () => {
    const file = tool("create_or_update_file", "Create or update a single file in a repository", { path: { type: "string" } });
    expect(classifyTool(file, { name: "io.github.modelcontextprotocol/server-github GitHub" }).level).toBe("high");
    expect(classifyTool(file, { name: "gitlab" }).level).toBe("high");
    // Published on GitHub is not about GitHub.
    expect(classifyTool(file, { name: "io.github.someone/notes-server Notes" }).level).toBe("medium");
    expect(classifyTool(tool("create_issue"), { name: "github" }).level).toBe("medium");
  });

  it("keeps the server's own connections and choices at Low, and alert silences at High", () => {
    expect(classifyTool(tool("mssql_connect_database")).level).toBe("low");
    expect(classifyTool(tool("disconnect_all")).level).toBe("low");
    expect(classifyTool(tool("set_active_workspace")).level).toBe("low");
    expect(classifyTool(tool("set_workspace_name")).level).toBe("medium");
    expect(classifyTool(tool("connect_account_role")).category).toBe("access_control");
    expect(classifyTool(tool("create_silence", "Mutes matching alerts for a while.")).level).toBe("high");
  });

  it("does not take mentioning code or a command for running it", () => {
    const deploy = tool("trigger_deployment", "Triggers a deployment of the latest code.");
    expect(classifyTool(deploy)).toMatchObject({ category: "execute", level: "high" });
    expect(classifyTool(tool("trigger_job", "Triggers a job that evaluates JavaScript you pass."))).toMatchObject({ level: "critical" });
    expect(classifyTool(tool("run_report", "Runs a report. This command can be referenced as DC."))).not.toMatchObject({ level: "critical" });
    expect(classifyTool(tool("run_task", "Runs a task that executes shell commands."))).toMatchObject({ level: "critical" });
    // An invite code or a country code is an identifier.
    expect(classifyTool(tool("join_team", undefined, { inviteCode: { type: "string" } })).category).not.toBe("execute");
    expect(classifyTool(tool("transform", undefined, { sourceCode: { type: "string" } })).category).toBe("execute");
  });

  it("reads a `query` argument by its own description: search text is not a statement", () => {
    const search = { type: "string", description: "Search text to filter logs by" } satisfies McpJsonSchema;
    const sql = { type: "string", description: "The SQL statement to run" } satisfies McpJsonSchema;
    expect(classifyTool(tool("query_logs", undefined, { query: search }), { name: "postgres" }).category).toBe("read");
    expect(classifyTool(tool("query_logs", undefined, { query: sql }), { name: "postgres" }).category).toBe("execute");
  });
});

describe("what real servers' wording says (2026.12.3)", () => {
  it("makes a deletion Critical by its scale, not by its being final: the object is the name's last noun", () => {
    expect(classifyTool(tool("delete_database"))).toMatchObject({ category: "destructive", level: "critical" });
    expect(classifyTool(tool("delete_table_comment"))).toMatchObject({ category: "destructive", level: "high" });
    expect(classifyTool(tool("delete_file_from_repository"))).toMatchObject({ category: "destructive", level: "high" });
    const final = classifyTool(tool("delete_template", "Deletes one template. This cannot be undone."));
    expect(final).toMatchObject({ category: "destructive", level: "high" });
    expect(final.reasons).toContain("the description says it cannot be undone");
  });

  it("treats a webhook as access only when one is made", () => {
    expect(classifyTool(tool("create_webhook")).category).toBe("access_control");
    expect(classifyTool(tool("delete_webhook"))).toMatchObject({ category: "destructive", level: "high" });
    expect(classifyTool(tool("edit_webhook"))).toMatchObject({ category: "write", level: "medium" });
  });

  it("reads a description's verbs as a list only when they are listed, and a word the name holds as a noun", () => {
    expect(classifyTool(tool("repo_history", "View commit history for a branch.")).category).toBe("read");
    expect(classifyTool(tool("manage_items", "Manage items: get, create, update.")).category).toBe("write");
    expect(classifyTool(tool("manage_items", "Manage items: get/create/update.")).category).toBe("write");
    // 2026.12.6: judged by the worst of them.
    expect(classifyTool(tool("manage_items", "Manage items: get, create, delete.")).category).toBe("destructive");
    expect(classifyTool(tool("db_manage_triggers", "Manage database triggers - get, create, drop.")).category).toBe("write");
  });

  it("reads mail the description names as what a read returns", () => {
    expect(classifyTool(tool("search_by_sender", "Search messages from a specific sender."))).toMatchObject({ category: "read", level: "medium" });
    expect(classifyTool(tool("get_message_count", "Counts messages in a folder.")).level).toBe("low");
  });

  it("keeps the session's own housekeeping Low: connecting is a read, marking as read and signing in change nothing shared", () => {
    expect(classifyTool(tool("connect", "Connects to the server."))).toMatchObject({ category: "read", level: "low" });
    expect(classifyTool(tool("disconnect", "Closes the connection."))).toMatchObject({ category: "write", level: "low" });
    expect(classifyTool(tool("mark_notification_as_read"))).toMatchObject({ category: "write", level: "low" });
    expect(classifyTool(tool("reset_unread_count"))).toMatchObject({ category: "write", level: "low" });
    expect(classifyTool(tool("bot_login", "Logs in using the configured token."))).toMatchObject({ category: "write", level: "low" });
    expect(classifyTool(tool("remove_member_from_card"))).toMatchObject({ category: "write", level: "low" });
  });

  it("reads diagnosis as reading, a local port forward as a Medium write, and stopping it as stopping", () => {
    expect(classifyTool(tool("debug_database", "Debug common database issues.")).category).toBe("read");
    expect(classifyTool(tool("port_forward"))).toMatchObject({ category: "write", level: "medium" });
    expect(classifyTool(tool("stop_port_forward")).reasons[0]).toBe("the name starts with stop: it creates or changes data");
  });

  it("runs a command sent to a shell, with nobody named to receive it", () => {
    const send = tool("session_send", "Runs one command in an open shell session.", { command: { type: "string" } });
    expect(classifyTool(send)).toMatchObject({ category: "execute", level: "critical" });
    expect(classifyTool(tool("send_message", undefined, { to: { type: "string" }, command: { type: "string" } })).category).toBe("communication");
  });

  it("lists keys at Low but reads one at High, and counts global variables as secrets", () => {
    expect(classifyTool(tool("list_api_keys", "Lists API key names and ids.")).level).toBe("low");
    expect(classifyTool(tool("get_api_key")).level).toBe("high");
    expect(classifyTool(tool("get_global_variables")).level).toBe("high");
  });

  it("knows more verbs and that a domain or a proxy carries live traffic", () => {
    expect(classifyTool(tool("unpublish_page"))).toMatchObject({ category: "write", level: "medium" });
    expect(classifyTool(tool("reschedule_tasks"), {}).category).toBe("write");
    expect(classifyTool(tool("create_domain", "Attaches a custom domain to a service.")).level).toBe("high");
    expect(classifyTool(tool("create_tcp_proxy")).level).toBe("high");
  });
});

describe("broader wording (2026.12.4)", () => {
  it("counts joining or leaving a team as a membership, and joining a chat channel as a write", () => {
    const join = classifyTool(tool("enter_team", undefined, {}));
    expect(join.category).not.toBe("access_control");
    expect(classifyTool(tool("join_workspace", "Become a member of a workspace with an invite.", { inviteCode: { type: "string" } }))).toMatchObject({
      category: "access_control",
      level: "high",
    });
    expect(classifyTool(tool("leave_org")).category).toBe("access_control");
    expect(classifyTool(tool("join_room", "Enter a chat room.")).category).toBe("write");
  });

  it("reads an operation argument over a read verb in the name, judged by the worst operation", () => {
    const review = tool("inspect_merge_request", "Acts on a merge request.", {
      action: { type: "string", enum: ["approve", "merge", "close"] },
      id: { type: "string" },
    });
    expect(classifyTool(review)).toMatchObject({ category: "write", level: "high" });
    // A pushed stash is local: an operation word alone does not make the tool live.
    const stash = tool("view_stash", undefined, { mode: { type: "string", enum: ["list", "push", "pop"] } });
    expect(classifyTool(stash)).toMatchObject({ category: "write", level: "medium" });
    // Where the server declares the tool read-only, the name and the hint agree.
    const planned = tool("get_upload_plan", undefined, { action: { type: "string", enum: ["createBucket", "uploadPlan"] } }, { readOnlyHint: true });
    expect(classifyTool(planned).category).toBe("read");
  });

  it("takes an overwrite switch on a read as a write", () => {
    const fetchKit = tool("download_starter_kit", "Fetches a starter project into the current folder.", { overwrite: { type: "boolean" } });
    expect(classifyTool(fetchKit)).toMatchObject({ category: "write", level: "medium" });
    expect(classifyTool(tool("download_report", undefined, { overwrite: { type: "string" } })).category).toBe("read");
  });

  it("believes a description that says the write is destructive", () => {
    const load = tool("import_dump", "Imports a dump into the target database. This is destructive: existing objects are replaced.");
    expect(classifyTool(load)).toMatchObject({ category: "destructive", level: "high" });
    expect(classifyTool(tool("import_sample", "Imports sample rows; the import is non-destructive.")).category).toBe("write");
  });
});

describe("real-world wording probes (2026.12.5)", () => {
  // Tool definitions written the way real servers word them, each labelled by the rubric before the classifier saw it:
  // server, name, description, arguments, acceptable categories, lowest and highest acceptable level.
  type Probe = readonly [string, string, string, Record<string, McpJsonSchema>, string, RiskLevel, RiskLevel];
  const check = ([server, name, description, properties, categories, min, max]: Probe) => {
    const result = classifyTool(tool(name, description, properties), { name: server });
    expect(categories.split("|"), result.reasons.join(" | ")).toContain(result.category);
    expect(compareRiskLevels(result.level, min), `${result.level} is below ${min}: ${result.reasons.join(" | ")}`).toBeGreaterThanOrEqual(0);
    expect(compareRiskLevels(result.level, max), `${result.level} is above ${max}: ${result.reasons.join(" | ")}`).toBeLessThanOrEqual(0);
  };

  // Each of these was misjudged by 2026.12.4.
  const fixed: Probe[] = [
    ["prometheus-mcp", "execute_promql", "Runs a PromQL query and returns the matching time series.", {promql: {type: "string", description: "The PromQL query"}, start: {type: "string"}, end: {type: "string"}}, "read", "low", "low"],
    ["prometheus-mcp", "run_query", "Run a PromQL range query over a time window.", {query: {type: "string", description: "PromQL query string"}, step: {type: "string"}}, "read", "low", "low"],
    ["loki-mcp", "run_logql_query", "Run a LogQL query against Grafana Loki to fetch matching log lines.", {query: {type: "string", description: "LogQL query"}, limit: {type: "number"}}, "read", "low", "low"],
    ["graphql-mcp", "execute_graphql_query", "Runs a read-only GraphQL query against the API; mutations are rejected.", {query: {type: "string", description: "GraphQL query document"}, variables: {type: "object"}}, "read", "low", "low"],
    ["xml-tools", "evaluate_xpath", "Evaluate an XPath expression on an XML document and return the matching nodes.", {xml: {type: "string"}, expression: {type: "string", description: "XPath expression"}}, "read", "low", "low"],
    ["google-analytics", "run_report", "Runs a Google Analytics Data API report and returns the rows.", {propertyId: {type: "string"}, dimensions: {type: "array"}, metrics: {type: "array"}, dateRanges: {type: "array"}}, "read", "low", "low"],
    ["lighthouse-mcp", "run_lighthouse_audit", "Runs a Lighthouse audit on a URL and returns performance, accessibility and SEO scores.", {url: {type: "string"}, categories: {type: "array"}}, "read", "low", "low"],
    ["kubernetes", "dry_run_manifest", "Validate a manifest with a server-side dry run; nothing is changed in the cluster.", {manifest: {type: "string", description: "YAML manifest"}}, "read", "low", "low"],
    ["eslint-mcp", "run_linter", "Run ESLint on the given files and return the problems found. Files are not modified.", {files: {type: "array"}}, "read", "low", "low"],
    ["a11y-mcp", "run_accessibility_check", "Runs an axe accessibility check on the current page and lists the violations.", {tags: {type: "array"}}, "read", "low", "low"],
    ["search-mcp", "execute_search", "Execute a search against the index using Lucene syntax.", {query: {type: "string", description: "Lucene query string"}, size: {type: "number"}}, "read", "low", "low"],
    ["calculator", "evaluate_expression", "Evaluates a math expression (arithmetic, trigonometric functions) and returns the numeric result.", {expression: {type: "string"}}, "read", "low", "low"],
    ["neo4j-mcp", "execute_cypher_read", "Execute a read-only Cypher query against Neo4j and return the records.", {query: {type: "string", description: "Cypher query"}}, "read", "low", "medium"],
    ["splunk-mcp", "run_saved_search", "Runs a saved search and returns its results.", {name: {type: "string"}}, "read", "low", "low"],
    ["uptime-mcp", "run_health_check", "Run a health check against the service endpoint and report its status.", {url: {type: "string"}}, "read", "low", "low"],
    ["launchdarkly", "evaluate_feature_flag", "Evaluate a feature flag for a given user context and return the variation that would be served.", {flagKey: {type: "string"}, context: {type: "object"}}, "read", "low", "low"],
    ["terraform-mcp", "terraform_plan", "Run terraform plan and show the changes that would be made, without applying them.", {workingDir: {type: "string"}}, "read", "low", "medium"],
    ["jq-mcp", "execute_jq", "Execute a jq expression against a JSON file and return the output.", {expression: {type: "string", description: "jq expression"}, path: {type: "string"}}, "read", "low", "low"],
    ["bigquery", "dry_run_query", "Dry-run a SQL query to validate it and estimate the bytes it would process, without running it.", {sql: {type: "string"}}, "read", "low", "medium"],
    ["cloudflare", "purge_cache", "Purge cached files from Cloudflare's edge for a zone.", {zoneId: {type: "string"}, files: {type: "array"}, purgeEverything: {type: "boolean"}}, "write|destructive", "high", "high"],
    ["ci", "promote_build", "Promote a build from staging to the production environment.", {buildId: {type: "string"}}, "write|execute", "high", "high"],
    ["heroku", "get_config_vars", "Get the config vars of an app.", {app: {type: "string"}}, "read", "high", "high"],
    ["aws-ssm", "get_parameter", "Get a parameter from Parameter Store, decrypting SecureString values.", {name: {type: "string"}, withDecryption: {type: "boolean"}}, "read", "high", "high"],
    ["platform", "teardown_environment", "Tear down an environment and all of its resources.", {environmentId: {type: "string"}}, "destructive", "critical", "critical"],
    ["ci", "kick_off_pipeline", "Kick off a pipeline run for the given branch.", {branch: {type: "string"}}, "execute", "high", "critical"],
    ["google-drive", "make_file_public", "Make a file publicly accessible to anyone with the link.", {fileId: {type: "string"}}, "access_control", "high", "critical"],
    ["eks", "get_kubeconfig", "Get the kubeconfig for a cluster, including its credentials.", {cluster: {type: "string"}}, "read", "high", "high"],
    ["digitalocean", "resize_droplet", "Resize a droplet to a different size slug.", {dropletId: {type: "number"}, size: {type: "string"}}, "write", "high", "high"],
    ["linkedin", "share_post", "Share a post to your LinkedIn feed.", {text: {type: "string"}, visibility: {type: "string", enum: ["PUBLIC", "CONNECTIONS"]}}, "communication", "high", "high"],
    ["shell-helper", "explain_command", "Explain what a shell command does, flag by flag, without running it.", {command: {type: "string"}}, "read", "low", "low"],
    ["shell-helper", "validate_script", "Check a bash script for syntax errors with shellcheck and return the findings.", {script: {type: "string"}}, "read", "low", "low"],
    ["opa", "evaluate_policy", "Evaluate an OPA policy against the given input and return the decision.", {policyPath: {type: "string"}, input: {type: "object"}}, "read", "low", "low"],
    ["duckdb", "query", "Run a SQL query against the DuckDB database and return the rows.", {sql: {type: "string", description: "A read-only SELECT statement to run"}}, "read", "low", "medium"],
    ["prometheus", "promql", "Execute a PromQL query and return the result vector.", {expr: {type: "string"}}, "read", "low", "low"],
    ["prometheus", "metrics_range", "Execute a PromQL range query over a time window.", {expr: {type: "string"}, start: {type: "string"}, end: {type: "string"}}, "read", "low", "low"],
    ["jupyter", "notebook_info", "Information about the open notebook: path, kernel and number of cells.", {}, "read", "low", "low"],
    ["shell-mcp", "shell_history", "Recent commands run in this session, with their exit codes.", {limit: {type: "number"}}, "read", "low", "low"],
    ["python-env", "python_version", "The version of the Python interpreter in use.", {}, "read", "low", "low"],
    ["search-api", "build_query", "Build a search query string from structured filters and return it.", {filters: {type: "object"}}, "read", "low", "low"],
    ["maps", "build_url", "Build a map URL for the given coordinates.", {lat: {type: "number"}, lng: {type: "number"}}, "read", "low", "low"],
    ["crypto-data", "get_token_price", "Get the current USD price of a token.", {symbol: {type: "string"}}, "read", "low", "low"],
    ["cloud", "get_env_info", "Get details of a cloud environment: region, plan and status.", {envId: {type: "string"}}, "read", "low", "low"],
    ["browser", "launch_browser", "Launch a headless browser session for later page actions.", {headless: {type: "boolean"}}, "write", "low", "medium"],
    ["ssh", "forward_port", "Forward a local port to a port on the remote host.", {localPort: {type: "number"}, remotePort: {type: "number"}}, "write", "low", "medium"],
    ["staking", "stake_tokens", "Stake tokens with a validator.", {amount: {type: "string"}, validator: {type: "string"}}, "financial", "critical", "critical"],
    ["stocks", "stock_quote", "Call this tool to get the latest quote for a ticker symbol.", {symbol: {type: "string"}}, "read", "low", "low"],
    ["weather", "weather_now", "Invoke this tool to fetch the current weather for a city.", {city: {type: "string"}}, "read", "low", "low"],
    ["cloud-db-platform", "query_logs", "Query the service logs of an environment.", {queryString: {type: "string", description: "The query"}}, "read", "low", "low"],
    ["clickhouse-observability", "query_traces", "Query traces stored for a service.", {query: {type: "string"}}, "read", "low", "low"],
    ["dropbox", "create_shared_link", "Create a shared link for a file so anyone with the link can view it.", {path: {type: "string"}}, "access_control", "high", "critical"],
    ["logging", "create_log_sink", "Create a sink that forwards log entries to an external endpoint.", {name: {type: "string"}, destinationUrl: {type: "string"}}, "write", "high", "high"],
    ["identity", "get_password_requirements", "Get the password complexity requirements of the tenant.", {}, "read", "low", "low"],
    ["ci", "build_status", "Status of the latest build of a branch.", {branch: {type: "string"}}, "read", "low", "low"],
    ["ci", "run_logs", "Logs of a workflow run.", {runId: {type: "string"}}, "read", "low", "low"],
    ["platform", "deploy_history", "History of deploys for a site.", {siteId: {type: "string"}}, "read", "low", "low"],
    ["ci", "pipeline_run_details", "Details of one pipeline run: stages, timings and result.", {runId: {type: "string"}}, "read", "low", "low"],
    ["kubernetes", "pod_logs", "Runs kubectl logs for a pod and returns the output.", {pod: {type: "string"}, namespace: {type: "string"}}, "read", "low", "low"],
    ["terminal-mcp", "terminal_output", "The recent output of the integrated terminal.", {lines: {type: "number"}}, "read", "low", "low"],
    ["slack-admin", "add_user_to_team", "Add a user to a team.", {teamId: {type: "string"}, userId: {type: "string"}}, "access_control", "high", "critical"],
    ["discord", "create_invite", "Create an invite for a channel.", {channelId: {type: "string"}, maxAge: {type: "number"}}, "access_control", "high", "critical"],
    ["dokku", "expose_service", "Expose a service on a public port.", {service: {type: "string"}, port: {type: "number"}}, "write|access_control", "high", "critical"],
    ["text-utils", "truncate_text", "Truncate a text to a maximum number of characters and return it.", {text: {type: "string"}, maxLength: {type: "number"}}, "read", "low", "low"],
    ["image-tools", "remove_background", "Remove the background from an image and return the result as PNG.", {imageUrl: {type: "string"}}, "read", "low", "low"],
    ["html-tools", "clean_html", "Clean up HTML markup and return readable text.", {html: {type: "string"}}, "read", "low", "low"],
    ["list-tools", "remove_duplicates", "Remove duplicate entries from a list and return the unique values.", {items: {type: "array"}}, "read", "low", "low"],
    ["json-tools", "format_json", "Pretty-print a JSON string.", {json: {type: "string"}}, "read", "low", "low"],
    ["maps", "plan_route", "Plan a route between two places.", {origin: {type: "string"}, destination: {type: "string"}}, "read", "low", "low"],
    ["code-intel", "explore_codebase", "Explore the structure of a codebase.", {path: {type: "string"}}, "read", "low", "low"],
  ];
  it.each(fixed.map((probe) => [probe[1], probe] as const))("%s", (_name, probe) => check(probe));

  // These were right before; the rules above must not move them.
  const kept: Probe[] = [
    ["prometheus-mcp", "query_prometheus", "Execute a PromQL instant query against Prometheus and return the result.", {query: {type: "string", description: "PromQL expression"}, time: {type: "string"}}, "read", "low", "low"],
    ["postgres-mcp", "explain_query", "Show the execution plan for a SQL query using EXPLAIN, without running it.", {sql: {type: "string", description: "The SQL statement"}}, "read", "low", "medium"],
    ["kubernetes", "kubectl_get", "Get or list Kubernetes resources of a kind, like kubectl get.", {resourceType: {type: "string"}, name: {type: "string"}, namespace: {type: "string"}, output: {type: "string"}}, "read", "low", "low"],
    ["calculator", "calculate", "Evaluate a mathematical expression such as 2*(3+4) and return the result.", {expression: {type: "string"}}, "read", "low", "low"],
    ["gitlab", "trigger_pipeline", "Trigger a new pipeline for a branch or tag.", {projectId: {type: "string"}, ref: {type: "string"}, variables: {type: "object"}}, "execute", "high", "critical"],
    ["aws-lambda", "invoke_function", "Invoke a Lambda function with a JSON payload and return its response.", {functionName: {type: "string"}, payload: {type: "string"}}, "execute", "high", "critical"],
    ["kubernetes", "restart_deployment", "Restart a deployment by triggering a rolling restart of its pods.", {name: {type: "string"}, namespace: {type: "string"}}, "write", "high", "high"],
    ["gmail", "send_email", "Send an email.", {to: {type: "array"}, subject: {type: "string"}, body: {type: "string"}}, "communication", "high", "high"],
    ["google-drive", "share_file", "Share a Google Drive file with a user by email, as viewer, commenter or editor.", {fileId: {type: "string"}, emailAddress: {type: "string"}, role: {type: "string", enum: ["reader", "commenter", "writer"]}}, "access_control", "high", "critical"],
    ["gcp-iam", "grant_role", "Grant an IAM role to a member on a project.", {project: {type: "string"}, member: {type: "string"}, role: {type: "string"}}, "access_control", "critical", "critical"],
    ["aws-secrets", "get_secret_value", "Retrieve the value of a secret from AWS Secrets Manager.", {secretId: {type: "string"}}, "read", "high", "high"],
    ["stripe", "create_refund", "Refund a charge.", {charge: {type: "string"}, amount: {type: "number"}}, "financial", "critical", "critical"],
    ["s3", "delete_bucket", "Delete an S3 bucket.", {bucket: {type: "string"}}, "destructive", "critical", "critical"],
    ["trello", "add_comment", "Add a comment to a card.", {cardId: {type: "string"}, text: {type: "string"}}, "write", "medium", "medium"],
    ["filesystem", "write_file", "Create a new file or overwrite an existing file.", {path: {type: "string"}, content: {type: "string"}}, "write", "medium", "medium"],
    ["aws", "list_access_keys", "List the access key IDs of an IAM user.", {userName: {type: "string"}}, "read", "low", "low"],
    ["ci", "build_project", "Build the project with its configured build command.", {project: {type: "string"}}, "execute", "high", "critical"],
    ["platform", "deploy_site", "Deploy a site from a directory.", {dir: {type: "string"}}, "execute", "high", "critical"],
  ];
  it.each(kept.map((probe) => [probe[1], probe] as const))("still %s", (_name, probe) => check(probe));

  it("keeps running what can write: SQL without a read-only claim, JavaScript, a command, software builds", () => {
    expect(classifyTool(tool("run_query", "Run a SQL query against the database.", { query: { type: "string" } }), { name: "postgres" }).category).toBe("execute");
    expect(classifyTool(tool("evaluate", "Evaluates a JavaScript expression in the page.", { expression: { type: "string" } })).category).toBe("execute");
    expect(classifyTool(tool("evaluate_expression", "Evaluate an expression in the current debugger frame.", { expression: { type: "string" } })).category).toBe("execute");
    expect(classifyTool(tool("run_report", "Runs a report.", { command: { type: "string" } }))).toMatchObject({ category: "execute", level: "critical" });
    expect(classifyTool(tool("build_image", "Build a Docker image from a Dockerfile.")).category).toBe("execute");
    expect(classifyTool(tool("launch_job", "Launch a batch job on the cluster.")).category).toBe("execute");
  });

  it("keeps deletions in stored data, and purges of data, as they were", () => {
    const range = { documentId: { type: "string" }, startIndex: { type: "number" } } satisfies Record<string, McpJsonSchema>;
    expect(classifyTool(tool("delete_text", "Deletes text in a range of a document.", range))).toMatchObject({ category: "destructive", level: "high" });
    expect(classifyTool(tool("purge_database", "Purge a database."))).toMatchObject({ category: "destructive", level: "critical" });
    expect(classifyTool(tool("promote_user_to_admin", "Make a user an administrator."))).toMatchObject({ category: "access_control", level: "critical" });
    expect(classifyTool(tool("list_secrets", "List the names of secrets, without their values.")).level).toBe("low");
  });

  it("says why in the tool's own terms", () => {
    const run = classifyTool(tool("run_lighthouse_audit", "Runs a Lighthouse audit on a URL.", { url: { type: "string" } }));
    expect(run.reasons[0]).toBe("the name starts with run, but what it runs is an audit: it only reads");
    expect(classifyTool(tool("kick_off_pipeline")).reasons[0]).toBe("the name starts with kick off: it starts a workflow or a job");
    expect(classifyTool(tool("purge_cache", "Purge cached files from the edge.")).reasons).toContain("the name mentions cache: what it removes is fetched again, so no data is lost");
  });
});

// 2026.12.6, from the tuning half of the set grown to 162 servers (risk-set/): each of these failed before it.
describe("what the grown tuning half's wording says (2026.12.6)", () => {
  it("judges several operations by the worst of them: one that deletes, terminates or kills makes a deletion", () => {
    const processes = classifyTool(tool("ssh_process_manager", "List, inspect or terminate processes on a remote server"));
    expect(processes).toMatchObject({ category: "destructive", level: "high" });
    expect(processes.reasons[0]).toBe("the description lists several operations (list, inspect, terminate): one of them is terminate: it removes data");
    const tabs = tool("sheet_tabs", undefined, { action: { type: "string", enum: ["list", "add", "rename", "delete"] } });
    expect(classifyTool(tabs)).toMatchObject({ category: "destructive", level: "high" });
    // Removing a remote from a local list, or a tag from an item, is not a deletion of data.
    const remotes = tool("git_remote", undefined, { mode: { type: "string", enum: ["list", "add", "remove", "rename"] } });
    expect(classifyTool(remotes).category).toBe("write");
  });

  it("reads a delegate as access, and forwarding or a responder as mail sent to others from then on", () => {
    const delegate = classifyTool(tool("add_delegate", "Adds a delegate with its verification status set directly", { delegateEmail: { type: "string" } }), { name: "gmail" });
    expect(delegate).toMatchObject({ category: "access_control", level: "critical" });
    const forwarding = classifyTool(tool("update_auto_forwarding", "Updates automatic forwarding settings", { emailAddress: { type: "string" } }), { name: "gmail" });
    expect(forwarding).toMatchObject({ category: "communication", level: "high" });
    expect(classifyTool(tool("get_auto_forwarding", "Gets the auto-forwarding setting"), { name: "gmail" })).toMatchObject({ category: "read", level: "low" });
  });

  it("moves mail into and out of the trash as a write that can be undone; emptying a trash removes all of it", () => {
    expect(classifyTool(tool("trash_message", "Move a message to the trash"), { name: "gmail" })).toMatchObject({ category: "write", level: "medium" });
    expect(classifyTool(tool("untrash_message", "Remove a message from the trash"), { name: "gmail" })).toMatchObject({ category: "write", level: "medium" });
    const empty = classifyTool(tool("empty_trash", "Empties the trash"));
    expect(empty).toMatchObject({ category: "destructive", level: "critical" });
    expect(empty.reasons).toContain("the name says empty: it removes everything the trash holds at once");
    // A cache is fetched again: emptying one stays High.
    expect(classifyTool(tool("empty_cache", "Empties the local cache"))).toMatchObject({ category: "destructive", level: "high" });
  });

  it("reads money in a description's opening words only, and an accounting server's records as ordinary writes", () => {
    const customer = tool(
      "edit_customer",
      "Edit a customer record: display name, email, phone, billing and shipping addresses, notes, and the default payment method shown on invoices.",
    );
    expect(classifyTool(customer)).toMatchObject({ category: "write", level: "medium" });
    expect(classifyTool(tool("send_funds", "Sends funds to a recipient"))).toMatchObject({ category: "financial", level: "critical" });
    expect(classifyTool(tool("create_contact", "Creates a contact in the books"), { name: "xero", description: "Xero accounting" })).toMatchObject({ category: "write", level: "medium" });
  });

  it("lets no readOnlyHint settle a drain pointed at an address (a counterexample the property below found on CI)", () => {
    const drain = tool("do_drain", undefined, { url: { type: "string" } }, { readOnlyHint: true });
    expect(classifyTool(drain)).toMatchObject({ category: "write", level: "high" });
  });

  it("reads a mail server's drafts as private mail, and another server's drafts as ordinary data", () => {
    expect(classifyTool(tool("list_drafts", "Lists drafts in the mailbox"), { name: "gmail" })).toMatchObject({ category: "read", level: "medium" });
    expect(classifyTool(tool("get_draft", "Gets a draft by its id"), { name: "gmail" })).toMatchObject({ category: "read", level: "medium" });
    expect(classifyTool(tool("list_drafts", "Lists the drafts of a blog"), { name: "ghost" })).toMatchObject({ category: "read", level: "low" });
  });
});
