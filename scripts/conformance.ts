// Runs the official MCP conformance suite (@modelcontextprotocol/conformance, server scenarios) against an upstream MCP
// server directly and through a Portcullis gateway in front of it, and prints the two results side by side.
//
//   npx tsx scripts/conformance.ts [--upstream-url URL] [--scenario NAME]... [--suite active|all|pending] [--node PATH]
//
// - Upstream: @modelcontextprotocol/server-everything (Streamable HTTP, bound to 127.0.0.1 on a free port), unless
//   --upstream-url names one already running (for example the conformance repository's own everything-server, which
//   no npm package ships and which implements every tool, resource and prompt the scenarios call).
// - Gateway: createGatewayHandler(createDatabaseGatewayDeps(...)) on node:http at 127.0.0.1, configured and mounted as
//   scripts/server.ts does for a loopback-bound instance, on a throwaway database (a new database on the server named by DATABASE_URL, else an embedded
//   PostgreSQL in a temporary folder), with a throwaway account, the upstream registered, an allow-all policy and a
//   grant.
// - The suite's CLI (the devDependency, 0.1.16) needs Node >= 22 (it imports fs.globSync). On an older Node it runs
//   under --node / CONFORMANCE_NODE, else under a Node 22 binary from the npm registry (node-<platform>-<arch>@22,
//   installed once into a cache folder), else, as a last resort, conformance 0.1.13 (the newest that runs on Node 20).
// - The CLI cannot send headers, so it reaches the gateway through a small proxy that adds the grant key (authProxy).
// - A scenario needing a tool, prompt or resource the upstream lacks is marked n/a and not counted (server-everything
//   lacks most of the reference server's `test_*` primitives).
// - Results (checks.json per scenario, the CLI's output, logs) go to a temporary folder, printed at the end.
//
// Exit code: 0 when every scenario that passes directly (and applies to the upstream) also passes through the
// gateway; 1 when one does not; 2 when the run itself could not be set up.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import { connect as netConnect, type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { freePort } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "../tests/test-database";

const ALLOW_ALL = { version: "1", default: "allow", tools: {} };
/** The newest conformance release that still runs on Node 20 (0.1.14 and later import fs.globSync). */
const NODE20_CONFORMANCE = "0.1.13";
const CLI_TIMEOUT_MS = 15 * 60_000;

const log = (line: string) => console.error(`[conformance] ${line}`);

const { values: options } = parseArgs({
  options: {
    "upstream-url": { type: "string" },
    scenario: { type: "string", multiple: true },
    suite: { type: "string", default: "active" },
    node: { type: "string" },
    mount: { type: "string", default: "node" },
    help: { type: "boolean", short: "h" },
  },
});

if (options.help) {
  console.log(`Usage: npx tsx scripts/conformance.ts [options]

  --upstream-url URL   test this running MCP server (Streamable HTTP) instead of starting server-everything
  --scenario NAME      run only this server scenario (repeatable); default: the whole suite
  --suite NAME         active (default), all or pending
  --node PATH          a Node >= 22 binary for the conformance CLI (also CONFORMANCE_NODE)
  --mount node|next    the gateway as scripts/server.ts mounts it on node:http (default), or as the App Router
                       route under \`next start\` (needs a production build: npm run build)

Environment: DATABASE_URL (a throwaway database is created on that server; unset: embedded PostgreSQL),
CONFORMANCE_NODE, CONFORMANCE_CACHE_DIR (where a downloaded Node 22 is kept; default ~/.cache/portcullis),
CONFORMANCE_TRACE=1 (log every request and answer through the gateway to gateway-trace.log in the results folder).`);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------------------------------
// What each scenario needs from the server under test (from the scenarios' own requirement texts). A scenario whose
// primitive the upstream lacks does not apply: server-everything, for instance, has no `test_simple_text`.

type Need = { kind: "tool" | "prompt" | "resource" | "template"; name: string };
const NEEDS: Record<string, Need[]> = {
  "completion-complete": [{ kind: "prompt", name: "test_prompt_with_arguments" }],
  "tools-call-simple-text": [{ kind: "tool", name: "test_simple_text" }],
  "tools-call-image": [{ kind: "tool", name: "test_image_content" }],
  "tools-call-audio": [{ kind: "tool", name: "test_audio_content" }],
  "tools-call-embedded-resource": [{ kind: "tool", name: "test_embedded_resource" }],
  "tools-call-mixed-content": [{ kind: "tool", name: "test_multiple_content_types" }],
  "tools-call-with-logging": [{ kind: "tool", name: "test_tool_with_logging" }],
  "tools-call-error": [{ kind: "tool", name: "test_error_handling" }],
  "tools-call-with-progress": [{ kind: "tool", name: "test_tool_with_progress" }],
  "tools-call-sampling": [{ kind: "tool", name: "test_sampling" }],
  "tools-call-elicitation": [{ kind: "tool", name: "test_elicitation" }],
  "json-schema-2020-12": [{ kind: "tool", name: "json_schema_2020_12_tool" }],
  "elicitation-sep1034-defaults": [{ kind: "tool", name: "test_elicitation_sep1034_defaults" }],
  "elicitation-sep1330-enums": [{ kind: "tool", name: "test_elicitation_sep1330_enums" }],
  "server-sse-polling": [{ kind: "tool", name: "test_reconnection" }],
  "resources-read-text": [{ kind: "resource", name: "test://static-text" }],
  "resources-read-binary": [{ kind: "resource", name: "test://static-binary" }],
  "resources-templates-read": [{ kind: "template", name: "test://template/{id}/data" }],
  "prompts-get-simple": [{ kind: "prompt", name: "test_simple_prompt" }],
  "prompts-get-with-args": [{ kind: "prompt", name: "test_prompt_with_arguments" }],
  "prompts-get-embedded-resource": [{ kind: "prompt", name: "test_prompt_with_embedded_resource" }],
  "prompts-get-with-image": [{ kind: "prompt", name: "test_prompt_with_image" }],
};

interface Inventory {
  tool: Set<string>;
  prompt: Set<string>;
  resource: Set<string>;
  template: Set<string>;
}

/** Everything the upstream offers, read with the official SDK client (all pages). */
async function inventory(url: string): Promise<Inventory> {
  const client = new Client({ name: "portcullis-conformance-inventory", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  const found: Inventory = { tool: new Set(), prompt: new Set(), resource: new Set(), template: new Set() };
  const caps = client.getServerCapabilities() ?? {};
  const pages = async <T>(list: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>, add: (item: T) => void) => {
    let cursor: string | undefined;
    do {
      const page = await list(cursor);
      page.items.forEach(add);
      cursor = page.nextCursor;
    } while (cursor);
  };
  try {
    if (caps.tools) {
      await pages(async (cursor) => {
        const r = await client.listTools(cursor ? { cursor } : {});
        return { items: r.tools, nextCursor: r.nextCursor };
      }, (t) => found.tool.add(t.name));
    }
    if (caps.prompts) {
      await pages(async (cursor) => {
        const r = await client.listPrompts(cursor ? { cursor } : {});
        return { items: r.prompts, nextCursor: r.nextCursor };
      }, (p) => found.prompt.add(p.name));
    }
    if (caps.resources) {
      await pages(async (cursor) => {
        const r = await client.listResources(cursor ? { cursor } : {});
        return { items: r.resources, nextCursor: r.nextCursor };
      }, (r) => found.resource.add(r.uri));
      await pages(async (cursor) => {
        const r = await client.listResourceTemplates(cursor ? { cursor } : {});
        return { items: r.resourceTemplates, nextCursor: r.nextCursor };
      }, (t) => found.template.add(t.uriTemplate));
    }
  } finally {
    await client.close().catch(() => {});
  }
  return found;
}

function missingNeeds(scenario: string, have: Inventory): string | null {
  const missing = (NEEDS[scenario] ?? []).filter((n) => !have[n.kind].has(n.name));
  return missing.length ? `upstream has no ${missing.map((n) => `${n.kind} ${n.name}`).join(", ")}` : null;
}

// ---------------------------------------------------------------------------------------------------------------------
// The conformance CLI and a Node to run it with.

interface Runner {
  node: string;
  cli: string;
  label: string;
}

const nodeMajor = (binary: string): number => {
  const out = spawnSync(binary, ["--version"], { encoding: "utf8" });
  return out.status === 0 ? Number(/^v(\d+)/.exec(out.stdout.trim())?.[1] ?? 0) : 0;
};

function cacheDir(): string {
  return process.env.CONFORMANCE_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "portcullis");
}

/** `npm install` of one package into its own folder under the cache (once); returns that folder. */
function npmInstallCached(folder: string, spec: string): string {
  const dir = path.join(cacheDir(), folder);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dir, "package.json"))) writeFileSync(path.join(dir, "package.json"), `{ "private": true }\n`);
  log(`installing ${spec} into ${dir} (once)`);
  const result = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", spec], { cwd: dir, stdio: ["ignore", 2, 2] });
  if (result.status !== 0) throw new Error(`npm install ${spec} failed`);
  return dir;
}

function conformanceRunner(): Runner {
  const repoCli = path.resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js");
  const repoVersion = JSON.parse(readFileSync(path.resolve("node_modules/@modelcontextprotocol/conformance/package.json"), "utf8")).version as string;
  const explicit = options.node ?? process.env.CONFORMANCE_NODE;
  if (explicit) {
    const major = nodeMajor(explicit);
    if (major < 22) throw new Error(`${explicit} is not a Node >= 22 (the conformance CLI ${repoVersion} needs fs.globSync)`);
    return { node: explicit, cli: repoCli, label: `conformance ${repoVersion} on Node ${major} (${explicit})` };
  }
  if (nodeMajor(process.execPath) >= 22) return { node: process.execPath, cli: repoCli, label: `conformance ${repoVersion} on Node ${process.versions.node}` };

  // Node 22 from the npm registry: the node-<platform>-<arch> packages ship the official binary in bin/node.
  const pkg = `node-${process.platform}-${process.arch}`;
  const bin = path.join(cacheDir(), "node22", "node_modules", pkg, "bin", "node");
  try {
    if (nodeMajor(bin) < 22) npmInstallCached("node22", `${pkg}@22`);
    const major = nodeMajor(bin);
    if (major >= 22) return { node: bin, cli: repoCli, label: `conformance ${repoVersion} on Node ${major} (${pkg} from npm)` };
  } catch (error) {
    log(`no Node 22 from the registry (${(error as Error).message})`);
  }
  // Last resort: the newest release that still runs on this Node (same server scenarios, older checks).
  const dir = path.join(cacheDir(), `conformance-${NODE20_CONFORMANCE}`);
  const cli = path.join(dir, "node_modules/@modelcontextprotocol/conformance/dist/index.js");
  if (!existsSync(cli)) npmInstallCached(`conformance-${NODE20_CONFORMANCE}`, `@modelcontextprotocol/conformance@${NODE20_CONFORMANCE}`);
  return { node: process.execPath, cli, label: `conformance ${NODE20_CONFORMANCE} on Node ${process.versions.node} (fallback)` };
}

interface CliRun {
  exitCode: number | null;
  output: string;
  resultsDir: string;
}

async function runSuite(runner: Runner, url: string, resultsDir: string, outputFile: string): Promise<CliRun> {
  mkdirSync(resultsDir, { recursive: true });
  const scenarios = options.scenario?.length ? options.scenario : [null];
  let exitCode: number | null = 0;
  for (const scenario of scenarios) {
    const args = [runner.cli, "server", "--url", url, "-o", resultsDir, ...(scenario ? ["--scenario", scenario] : ["--suite", options.suite!])];
    const fd = openSync(outputFile, "a");
    const child = spawn(runner.node, args, { cwd: path.dirname(resultsDir), stdio: ["ignore", fd, fd], env: { ...process.env, NO_COLOR: "1" } });
    closeSync(fd);
    const timer = setTimeout(() => child.kill("SIGKILL"), CLI_TIMEOUT_MS);
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    clearTimeout(timer);
    if (code !== 0) exitCode = code;
  }
  return { exitCode, output: readFileSync(outputFile, "utf8"), resultsDir };
}

// ---------------------------------------------------------------------------------------------------------------------
// Results

interface Check {
  id: string;
  status: "SUCCESS" | "FAILURE" | "WARNING" | "INFO" | string;
  errorMessage?: string;
  details?: unknown;
}

interface ScenarioResult {
  status: "pass" | "warn" | "fail" | "info" | "missing";
  checks: Check[];
  file?: string;
}

/** Results by scenario, from `<dir>/server-<scenario>-<timestamp>/checks.json` (the CLI's layout). */
function readResults(dir: string): Map<string, ScenarioResult> {
  const results = new Map<string, ScenarioResult>();
  if (!existsSync(dir)) return results;
  for (const entry of readdirSync(dir).sort()) {
    const match = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(entry);
    const file = path.join(dir, entry, "checks.json");
    if (!match?.[1] || !existsSync(file)) continue;
    let checks: Check[] = [];
    try {
      checks = JSON.parse(readFileSync(file, "utf8")) as Check[];
    } catch {
      results.set(match[1], { status: "fail", checks: [{ id: "checks.json", status: "FAILURE", errorMessage: "unreadable checks.json" }], file });
      continue;
    }
    const has = (s: string) => checks.some((c) => c.status === s);
    const status = has("FAILURE") ? "fail" : has("WARNING") ? "warn" : has("SUCCESS") ? "pass" : "info";
    results.set(match[1], { status, checks, file });
  }
  return results;
}

/** Scenario names in the order the CLI ran them. */
function scenarioOrder(...outputs: string[]): string[] {
  const names: string[] = [];
  for (const output of outputs) {
    for (const m of output.matchAll(/=== Running scenario: (\S+) ===/g)) if (m[1] && !names.includes(m[1])) names.push(m[1]);
  }
  return names;
}

const passed = (r: ScenarioResult | undefined) => r?.status === "pass" || r?.status === "warn";

function cell(r: ScenarioResult | undefined): string {
  if (!r) return "no result";
  const ok = r.checks.filter((c) => c.status === "SUCCESS").length;
  const counted = r.checks.filter((c) => c.status === "SUCCESS" || c.status === "FAILURE" || c.status === "WARNING").length;
  const label = { pass: "PASS", warn: "PASS (warn)", fail: "FAIL", info: "INFO", missing: "no result" }[r.status];
  return `${label} ${ok}/${counted}`;
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  console.log(line(rows[0]!));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows.slice(1)) console.log(line(r));
}

// ---------------------------------------------------------------------------------------------------------------------
// Processes and servers

/** node:net's listen patched so a server that binds every interface (server-everything has no host option) binds
 * 127.0.0.1 instead: loaded with --import before the server's own code. */
const LOOPBACK_ONLY = `import net from "node:net";
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const port = args[0];
  if ((typeof port === "number" || (typeof port === "string" && /^\\d+$/.test(port))) && typeof args[1] !== "string") args.splice(1, 0, "127.0.0.1");
  return listen.apply(this, args);
};`;

async function waitForPort(port: number, isAlive: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (!isAlive()) throw new Error(`${what} exited before listening`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = netConnect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on 127.0.0.1:${port} within 15 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startEverything(logFile: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const entry = path.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
  const fd = openSync(logFile, "a");
  const child = spawn(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(LOOPBACK_ONLY)}`, entry, "streamableHttp"], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  process.once("exit", () => child.kill("SIGKILL"));
  await waitForPort(port, () => child.exitCode === null, "server-everything");
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return (server.address() as AddressInfo).port;
}

async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/**
 * The conformance CLI (0.1.x) has no option to send headers: its `server --url` mode connects with a bare SDK client,
 * and the gateway refuses any request without `Authorization: Bearer <grant key>`. This forwarding proxy on 127.0.0.1
 * stands in for an MCP client configured with the key: it passes every request to the gateway unchanged (method,
 * path, every header including Host and Origin, the body streamed) and only adds the Authorization header when the
 * request has none; responses (SSE included) are streamed back unbuffered, status and headers unchanged.
 */
function authProxy(gatewayPort: number, key: string, trace?: (line: string) => void): Server {
  let next = 0;
  return createServer((req, res) => {
    const n = ++next;
    const headers = { ...req.headers };
    headers.authorization ??= `Bearer ${key}`;
    if (trace) {
      const shown = Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`).join(" | ");
      trace(`#${n} -> ${req.method} ${req.url} | ${shown}`);
      req.on("data", (chunk: Buffer) => trace(`#${n} -> body ${chunk.toString("utf8")}`));
    }
    const upstream = httpRequest({ host: "127.0.0.1", port: gatewayPort, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      res.flushHeaders(); // an SSE stream's headers go out now, not with its first event
      if (trace) {
        trace(`#${n} <- ${answer.statusCode} | ${Object.entries(answer.headers).map(([k, v]) => `${k}: ${v}`).join(" | ")}`);
        answer.on("data", (chunk: Buffer) => trace(`#${n} <- body ${chunk.toString("utf8").replace(/\n/g, "\\n")}`));
        answer.on("end", () => trace(`#${n} <- end`));
      }
      answer.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
}

// ---------------------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  if (!existsSync(path.resolve("prisma/migrations")) || !existsSync(path.resolve("node_modules/@modelcontextprotocol/conformance"))) {
    throw new Error("Run this from the repository root (npm run conformance), after npm install.");
  }
  const work = mkdtempSync(path.join(os.tmpdir(), "portcullis-conformance-results-"));
  log(`results and logs: ${work}`);
  const runner = conformanceRunner();
  log(`suite: ${runner.label}`);

  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    // Upstream
    let upstreamUrl = options["upstream-url"];
    if (!upstreamUrl) {
      const everything = await startEverything(path.join(work, "upstream.log"));
      cleanups.push(() => everything.stop());
      upstreamUrl = everything.url;
      log(`upstream: @modelcontextprotocol/server-everything at ${upstreamUrl}`);
    } else {
      log(`upstream: ${upstreamUrl}`);
    }

    // Database, then the environment the app's modules read once at import: set before importing them.
    const database: TestDatabase = await createTestDatabase("conformance");
    cleanups.push(() => database.drop());
    await migrate(database.url);
    process.env.DATABASE_URL = database.url;
    process.env.PORTCULLIS_DATA_DIR = path.join(work, "data");
    process.env.PORTCULLIS_UPSTREAM_NETWORKS = "loopback";
    process.env.PORTCULLIS_ENCRYPTION_KEY = randomBytes(32).toString("base64");
    const [
      { signUp },
      { registerServer },
      { savePolicyVersion },
      { createGrant },
      { createGatewayHandler },
      { nodeGatewayListener },
      { createDatabaseGatewayDeps },
      { gatewayAllowedHosts },
      { getPool },
    ] = await Promise.all([
      import("../lib/accounts/sign-up"),
      import("../lib/servers/register-server"),
      import("../lib/policy-versions/save-policy-version"),
      import("../lib/grants/grants"),
      import("../lib/gateway/handler"),
      import("../lib/gateway/node-adapter"),
      import("../lib/gateway/stores"),
      import("../lib/gateway/allowed-hosts"),
      import("../lib/db/client"),
    ]);
    cleanups.unshift(() => getPool().end());

    // Account, server, allow-all policy, grant
    const account = await signUp({ email: `conformance-${randomUUID()}@example.com`, password: randomBytes(18).toString("base64url") });
    const caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" as const };
    const server = await registerServer(caller, { name: "conformance upstream", url: upstreamUrl, transport: "streamable_http" });
    await savePolicyVersion(caller, server.id, { text: JSON.stringify(ALLOW_ALL), message: "conformance: allow every tool" });
    const { key } = await createGrant(caller, { name: "conformance suite", serverIds: [server.id] });

    // Gateway and the header-adding proxy in front of it
    // CONFORMANCE_TRACE=1: every request the suite sends through the gateway and every answer (`#n`), and every
    // request the gateway sends to the upstream (`up#n`), with times, in gateway-trace.log.
    const traceFile = path.join(work, "gateway-trace.log");
    const trace = process.env.CONFORMANCE_TRACE
      ? (line: string) => writeFileSync(traceFile, `${new Date().toISOString()} ${line}\n`, { flag: "a" })
      : undefined;
    // Configured as `npm start` configures a gateway bound to 127.0.0.1 with no public URL (scripts/server.ts).
    const deps = createDatabaseGatewayDeps({ allowedHosts: gatewayAllowedHosts(undefined, "127.0.0.1") });
    // After the gateway stops and before the pool ends: the outcomes of the last answered calls are written.
    cleanups.unshift(() => deps.admit.flush());
    if (trace) {
      const upstreamFetch = deps.upstreamFetch.bind(deps);
      let upstreamRequests = 0;
      deps.upstreamFetch = async (server) => {
        const hop = await upstreamFetch(server);
        return {
          close: hop.close,
          fetch: async (url, init) => {
            const n = ++upstreamRequests;
            const sent = new Headers(init?.headers);
            trace(`up#${n} -> ${init?.method ?? "GET"} ${String(url)} | session ${sent.get("mcp-session-id")} | ${typeof init?.body === "string" ? init.body : ""}`);
            try {
              const response = await hop.fetch(url, init);
              trace(`up#${n} <- ${response.status} ${response.headers.get("content-type") ?? ""}`);
              return response;
            } catch (error) {
              trace(`up#${n} <- error ${(error as Error).message}`);
              throw error;
            }
          },
        };
      };
    }
    const gateway = createServer(nodeGatewayListener(createGatewayHandler(deps)));
    let gatewayPort = await listen(gateway);
    cleanups.unshift(() => closeServer(gateway));
    if (options.mount === "next") {
      // The same handler as an App Router route (app/gateway/[server]/mcp/route.ts), under `next start` on this database.
      if (!existsSync(path.join(".next", "BUILD_ID"))) throw new Error("--mount next needs a production build: run npm run build first.");
      gatewayPort = await freePort();
      const next = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "--port", String(gatewayPort), "--hostname", "127.0.0.1"], {
        env: { ...process.env, HOST: "127.0.0.1", NODE_ENV: "production" },
        stdio: ["ignore", openSync(path.join(work, "next-start.log"), "a"), openSync(path.join(work, "next-start.log"), "a")],
      });
      cleanups.unshift(async () => {
        if (next.exitCode === null) next.kill("SIGTERM");
        await new Promise((resolve) => (next.exitCode === null ? next.once("exit", resolve) : resolve(null)));
      });
      for (let tries = 0; ; tries++) {
        const ok = await fetch(`http://127.0.0.1:${gatewayPort}/api/health`).then((r) => r.ok, () => false);
        if (ok) break;
        if (next.exitCode !== null || tries > 240) throw new Error(`next start did not come up: see ${path.join(work, "next-start.log")}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      log(`gateway mount: the App Router route under next start (port ${gatewayPort})`);
    }
    const proxy = authProxy(gatewayPort, key, trace);
    const proxyPort = await listen(proxy);
    cleanups.unshift(() => closeServer(proxy));
    const gatewayPath = `/gateway/${server.id}/mcp`;
    const throughGateway = `http://127.0.0.1:${proxyPort}${gatewayPath}`;
    log(`gateway: http://127.0.0.1:${gatewayPort}${gatewayPath} (suite via the key-adding proxy at ${throughGateway})`);

    // The suite, directly then through the gateway
    const have = await inventory(upstreamUrl);
    log("running the suite against the upstream directly");
    const direct = await runSuite(runner, upstreamUrl, path.join(work, "direct"), path.join(work, "direct.txt"));
    log("running the suite through the gateway");
    const gated = await runSuite(runner, throughGateway, path.join(work, "gateway"), path.join(work, "gateway.txt"));

    const a = readResults(direct.resultsDir);
    const b = readResults(gated.resultsDir);
    const order = scenarioOrder(direct.output, gated.output);
    for (const name of [...a.keys(), ...b.keys()]) if (!order.includes(name)) order.push(name);
    if (order.length === 0) throw new Error(`the conformance CLI ran no scenario: see ${path.join(work, "direct.txt")}`);

    const regressions: string[] = [];
    const rows = [["Scenario", "Direct", "Through gateway", "Note"]];
    for (const name of order) {
      const d = a.get(name);
      const g = b.get(name);
      const notApplicable = missingNeeds(name, have);
      let note = notApplicable ? `n/a: ${notApplicable}` : "";
      if (passed(d) && !passed(g)) {
        if (notApplicable) note += " (differs through the gateway, not counted)";
        else {
          note = "REGRESSION through the gateway";
          regressions.push(name);
        }
      } else if (!passed(d) && passed(g) && !notApplicable) note = "passes only through the gateway";
      rows.push([name, cell(d), cell(g), note]);
    }
    console.log(`\nMCP conformance (server scenarios, ${runner.label})`);
    console.log(`upstream: ${options["upstream-url"] ? upstreamUrl : "@modelcontextprotocol/server-everything"}; gateway policy: allow all\n`);
    printTable(rows);

    for (const name of regressions) {
      const g = b.get(name);
      console.log(`\n${name}: failed through the gateway${g?.file ? ` (${g.file})` : ""}`);
      for (const c of g?.checks.filter((c) => c.status === "FAILURE") ?? []) console.log(`  - ${c.id}: ${c.errorMessage ?? "(no message)"}`);
      if (!g) console.log(`  - no result: see ${path.join(work, "gateway.txt")}`);
    }
    const applicable = order.filter((n) => !missingNeeds(n, have));
    const directPasses = applicable.filter((n) => passed(a.get(n)));
    console.log(
      `\n${applicable.length} of ${order.length} scenarios apply to this upstream; ${directPasses.length} pass directly, ` +
        `${directPasses.length - regressions.length} of those also through the gateway.`,
    );
    console.log(`Results: ${work}`);
    return regressions.length > 0 ? 1 : 0;
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((error) => log(`cleanup: ${(error as Error).message}`));
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log(`could not run: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exit(2);
  },
);
