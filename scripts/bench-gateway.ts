// Benchmarks the gateway against direct calls, in one run, on this machine. Usage:
//   npm run bench:gateway [-- --seconds 10 --rate 300 --concurrency 32,128 --soak 300 --profile dir --async-commit]
// It starts a fresh database (a new database on DATABASE_URL's server, or an embedded PostgreSQL), a small MCP
// upstream (scripts/bench/echo-upstream.ts) and the gateway tier (`scripts/server.ts --gateway-only`) as child
// processes, registers the upstream, saves a policy that rate-limits `echo` (a grant-scoped counter, so every call
// increments one hot row) and creates a grant. Then, for the same `tools/call` load sent directly to the upstream
// and through the gateway:
//   1. a moderate open-loop rate (--rate calls/s for --seconds): latency p50/p90/p99, and the gateway's added latency,
//      also through a bare proxy (scripts/bench/bare-proxy.ts: forwards, checks and records nothing) to split what is
//      added into the extra HTTP hop any gateway costs and what enforcement and the audit trail cost on top;
//   2. saturation: closed loops of each --concurrency level of callers for --seconds: calls/s and latency (the
//      gateway groups concurrent statements, so it needs more callers than the upstream alone to reach its maximum),
//      direct, through the bare proxy, through a chain of two `supergateway` processes (a popular pass-through that
//      enforces nothing: Streamable HTTP -> stdio -> Streamable HTTP, stateful; see startSupergatewayChain) and through
//      the gateway; beside them, the database's floor: the same callers doing only the gateway's per-call database
//      work (its admit statement and the grouped outcome UPDATE, through its own AdmitStore) with no HTTP at all, once
//      with durable commits as the product runs and once with synchronous_commit off, to show what bounds the gateway;
//   3. a soak through the gateway (--soak seconds at the moderate rate), sampling the gateway's resident memory.
// When a production build exists (.next), the same handler mounted as an App Router route under `next start` is
// measured beside it (rows marked "route"), so the cost of that mount shows in the same run.
// Every answer is checked (a 200 with the echoed text), and at the end the audit trail must hold exactly one row per
// call through the gateway. Goals (issue 5): added p50 <= 1 ms, added p99 <= 5 ms, >= 1,500 calls/s, memory flat;
// (issue 19) at saturation, >= 70 % of the bare proxy's throughput and >= 3x the supergateway chain's.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { Pool } from "undici";
import { createTestDatabase } from "../tests/test-database";
import { migrate } from "../lib/db/migrate";
import { createAdmitStore, type AdmitRow, type Confirmation } from "../lib/gateway/admit";
import { hashSessionId, SESSION_IDLE_MS } from "../lib/gateway/sessions";
import { hashGrantKey } from "../lib/grants/grant-key";
import { compilePolicy } from "../lib/policy/compile";
import { evaluate } from "../lib/policy/evaluate";
import { argumentDigest } from "../lib/mcp/argument-digest";
import { profileStages } from "./bench/profile-stages";

const { values: flags } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    rate: { type: "string", default: "300" },
    concurrency: { type: "string", default: "32,128" },
    soak: { type: "string", default: "300" },
    /** Writes a V8 CPU profile of the gateway process into this folder (open it in Chrome DevTools). */
    profile: { type: "string" },
    /**
     * An experiment, not the product's setting: the bench database commits without waiting for the WAL flush
     * (synchronous_commit off), to show what the durable audit commit costs each call.
     */
    "async-commit": { type: "boolean", default: false },
    /**
     * Also measures N gateway-only instances behind HAProxy on the same database (npm run cluster's setup), for each N
     * in this list (e.g. 1,2,3), at the largest --concurrency: calls/s and the database's share of the machine.
     */
    instances: { type: "string" },
  },
});
const SECONDS = Number(flags.seconds);
const RATE = Number(flags.rate);
const CONCURRENCY = flags.concurrency.split(",").map(Number);
const SOAK = Number(flags.soak);
const log = (line: string) => console.log(line);

const children: ChildProcess[] = [];
function start(script: string, args: string[], env: Record<string, string>, ready: RegExp, nodeArgs: string[] = []): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", script, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = ready.exec(out);
      if (match) {
        child.stdout?.off("data", onData);
        resolve({ child, match });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before it was ready:\n${out}`)));
  });
}

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

interface Target {
  name: string;
  origin: string;
  path: string;
  headers: Record<string, string>;
  pool: Pool;
  session?: string;
}

async function post(target: Target, body: unknown): Promise<{ status: number; text: string; session: string | null }> {
  const response = await target.pool.request({
    method: "POST",
    path: target.path,
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2025-06-18",
      ...target.headers,
      ...(target.session ? { "mcp-session-id": target.session } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  const session = response.headers["mcp-session-id"];
  return { status: response.statusCode, text, session: typeof session === "string" ? session : null };
}

async function initialize(target: Target): Promise<void> {
  const init = await post(target, {
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
  });
  if (init.status !== 200 || !init.session) throw new Error(`${target.name}: initialize answered ${init.status}: ${init.text}`);
  target.session = init.session;
  await post(target, { jsonrpc: "2.0", method: "notifications/initialized" });
}

let nextId = 1;
let failures = 0;
// For the profile summary after the run: the gateway process, and how many calls went through it.
let gatewayPid = 0;
let profiledCalls = 0;
let firstFailure = "";
/** One tools/call; returns its latency in ms, and counts a failure unless the echo came back. */
async function call(target: Target): Promise<number> {
  const id = nextId++;
  const t0 = performance.now();
  const { status, text } = await post(target, { jsonrpc: "2.0", id, method: "tools/call", params: { name: "echo", arguments: { message: `m${id}` } } });
  const ms = performance.now() - t0;
  if (status !== 200 || !text.includes(`"m${id}"`) || text.includes('"isError":true')) {
    failures++;
    firstFailure ||= `${target.name}: ${status} ${text.slice(0, 300)}`;
  }
  return ms;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Result {
  calls: number;
  seconds: number;
  p50: number;
  p90: number;
  p99: number;
}
function summarize(latencies: number[], seconds: number): Result {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { calls: sorted.length, seconds, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99) };
}

/** Open loop: calls are started on schedule whatever the latency, so a slow answer cannot hide queueing. */
async function atRate(target: Target, rate: number, seconds: number, onTick?: () => void): Promise<Result> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  const total = Math.round(rate * seconds);
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(call(target).then((ms) => void latencies.push(ms)));
    if (pending.length > 5000) await Promise.all(pending.splice(0, pending.length));
    if (i % rate === 0) onTick?.();
  }
  await Promise.all(pending);
  return summarize(latencies, (performance.now() - started) / 1000);
}

/** Closed loop: `concurrency` callers, each starting its next call when the last one answered. */
async function saturate(target: Target, concurrency: number, seconds: number): Promise<Result> {
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) latencies.push(await call(target));
    }),
  );
  return summarize(latencies, (performance.now() - started) / 1000);
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** CPU time (user + system) the process has used, in ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number, which: "user" | "system" | "both" = "both"): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const user = Number(fields[11]) * 10;
  const system = Number(fields[12]) * 10;
  return which === "user" ? user : which === "system" ? system : user + system;
}

const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "-");

/** The process and all its descendants (from /proc), for the CPU of a process that starts its own children. */
function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${pids[i]}/task`)) {
        const children = readFileSync(`/proc/${pids[i]}/task/${task}/children`, "utf8").trim();
        if (children) pids.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}
const treeCpuMs = (pid: number) => processTree(pid).reduce((sum, p) => {
  try {
    return sum + cpuMs(p);
  } catch {
    return sum;
  }
}, 0);

/** Resolves once something accepts connections on the port (for processes that print nothing when ready). */
async function waitForPort(port: number, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}) before it was ready`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not listen on ${port} within 30 s`);
}

const SUPERGATEWAY = path.join("node_modules", "supergateway", "dist", "index.js");

/**
 * The supergateway chain: the usual way to put a Streamable HTTP server behind a gateway that enforces nothing, built
 * from two `supergateway` processes (the pinned devDependency) as its README documents them. A (stdio -> Streamable
 * HTTP, `--stateful`) serves clients on `port` and runs B as its stdio server; B (Streamable HTTP -> stdio) is a
 * client of the echo upstream. So a call goes client -HTTP-> A -stdio-> B -HTTP-> upstream, and back. Both log
 * nothing (`--logLevel none`; at the default level they log every message, which would only slow them down).
 * Stateful A starts one B per session; the bench uses one session, as it does for the gateway.
 */
async function startSupergatewayChain(upstreamUrl: string, port: number): Promise<ChildProcess> {
  const inner = `${process.execPath} ${SUPERGATEWAY} --streamableHttp ${upstreamUrl} --logLevel none`;
  const outer = spawn(
    process.execPath,
    [SUPERGATEWAY, "--stdio", inner, "--outputTransport", "streamableHttp", "--stateful", "--port", String(port), "--logLevel", "none"],
    // stdin ignored: supergateway ends when a pipe on its stdin closes.
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  children.push(outer);
  outer.stdout?.resume();
  outer.stderr?.resume();
  await waitForPort(port, outer, "supergateway");
  return outer;
}

/**
 * The database's floor at saturation: `callers` closed loops doing only what the gateway asks of the database for each
 * call at steady state (its lookup is served from memory): the admit statement (confirm, count, record, committed)
 * and the outcome added afterwards, through the gateway's own AdmitStore, so grouped exactly as the gateway groups
 * them, on a pool of the gateway's size. No HTTP, no upstream: no gateway built on this database can answer more
 * calls per second than this. `asyncCommit` runs the same on connections with synchronous_commit off.
 */
async function admitFloor(url: string, workspaceId: string, confirm: Omit<Confirmation, "sessionUsedSince">, policyText: string, callers: number, seconds: number, asyncCommit: boolean): Promise<Result> {
  const pool = new pg.Pool({ connectionString: url, max: 10, ...(asyncCommit ? { options: "-c synchronous_commit=off" } : {}) });
  const store = createAdmitStore(pool);
  const policy = compilePolicy(JSON.parse(policyText));
  const latencies: number[] = [];
  let n = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: callers }, async () => {
        while (performance.now() < end) {
          const t0 = performance.now();
          const args = { message: `f${n++}` };
          const now = Date.now();
          const decision = evaluate(policy, { tool: "echo", args }, { now, grantId: confirm.grantId, serverId: confirm.serverId, usage: () => 0 });
          const checks = decision.counters.filter((c) => decision.increment.includes(c.key));
          const digest = argumentDigest(args);
          // Marked by its request id, so the audit check at the end tells these rows from the gateway's.
          const row: AdmitRow = {
            workspaceId, serverId: confirm.serverId, grantId: confirm.grantId, requestId: `floor-${randomUUID()}`,
            method: "tools/call", tool: "echo", decision: "allow", code: decision.code, rule: decision.matchedRule, reason: null,
            upstreamStatus: null, upstreamMs: null, gatewayMs: null, argumentNames: digest.names, argumentsSha256: digest.sha256,
            forwarded: true, call: 0,
          };
          const result = await store.admit({ confirm: { ...confirm, sessionUsedSince: now - SESSION_IDLE_MS }, calls: [checks], rows: [row] });
          if (!result.confirmed || result.calls[0] !== null) throw new Error("the floor's admit statement refused a call");
          store.complete(workspaceId, result.ids, { upstreamStatus: 200, upstreamMs: 0.1, gatewayMs: performance.now() - t0 });
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const result = summarize(latencies, (performance.now() - started) / 1000);
    await store.flush();
    return result;
  } finally {
    await pool.end();
  }
}

/**
 * Latency of a bare round trip and of a durable one-row commit, one at a time at the moderate rate (as the gateway
 * meets them: an idle process wakes up for each one, which costs more than back-to-back statements show): what no
 * gateway design that talks to the database per call can go under.
 */
async function databaseFloor(url: string, rate: number): Promise<{ select: { p50: number; p99: number }; commit: { p50: number; p99: number } }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const measure = async (sql: string) => {
    const times: number[] = [];
    const started = performance.now();
    for (let i = 0; i < 900; i++) {
      const wait = started + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const t = performance.now();
      await client.query(sql);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p99: percentile(times, 99) };
  };
  try {
    await client.query("CREATE TABLE bench_floor (at timestamptz NOT NULL DEFAULT now())");
    for (let i = 0; i < 50; i++) await client.query("SELECT 1"); // the backend's caches, before measuring
    const select = await measure("SELECT 1");
    const commit = await measure("INSERT INTO bench_floor DEFAULT VALUES");
    await client.query("DROP TABLE bench_floor");
    return { select, commit };
  } finally {
    await client.end();
  }
}

async function main() {
  log(`bench:gateway on ${os.cpus().length} cores, Node ${process.version}`);
  const database = await createTestDatabase("bench");
  try {
    await migrate(database.url);
    if (flags["async-commit"]) {
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      await admin.query(`ALTER DATABASE "${new URL(database.url).pathname.slice(1)}" SET synchronous_commit = off`);
      await admin.end();
      log("EXPERIMENT: synchronous_commit = off for this run (audit rows and counters are not flushed before the answer)");
    }
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "portcullis-bench-"));
    const env = {
      DATABASE_URL: database.url,
      PORTCULLIS_DATA_DIR: dataDir,
      PORTCULLIS_UPSTREAM_NETWORKS: "loopback",
      NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret-0123",
      NODE_ENV: "production",
    };
    Object.assign(process.env, env);

    const upstream = await start("scripts/bench/echo-upstream.ts", [], { PORT: "0" }, /listening (\d+)/);
    const upstreamOrigin = `http://127.0.0.1:${upstream.match[1]}`;
    const proxy = await start("scripts/bench/bare-proxy.ts", [], { PORT: "0", UPSTREAM: upstreamOrigin }, /listening (\d+)/);
    const proxyOrigin = `http://127.0.0.1:${proxy.match[1]}`;

    // Seed through the domain functions, as the console would.
    const { signUp } = await import("../lib/accounts/sign-up");
    const { registerServer } = await import("../lib/servers/register-server");
    const { savePolicyVersion } = await import("../lib/policy-versions/save-policy-version");
    const { createGrant } = await import("../lib/grants/grants");
    const account = await signUp({ email: `bench-${Date.now()}@example.com`, password: "a long bench password" });
    const caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" as const };
    const server = await registerServer(caller, { name: "bench echo", url: `${upstreamOrigin}/mcp`, transport: "streamable_http" });
    const policy = { version: "1", default: "deny", tools: { echo: { limits: [{ counter: "bench", window: "minute", max: 100_000_000, scope: "grant" }] } } };
    await savePolicyVersion(caller, server.id, { text: JSON.stringify(policy), message: "bench: rate-limited echo" });
    const { key, grant } = await createGrant(caller, { name: "bench", serverIds: [server.id] });

    const port = await freePort();
    const gateway = await start("scripts/server.ts", ["--gateway-only"], { ...env, PORT: String(port), HOST: "127.0.0.1" }, /gateway ready/,
      flags.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(flags.profile)}`] : []);
    gatewayPid = gateway.child.pid!;
    // The same handler mounted as an App Router route (`next start`): needs a production build.
    const hasBuild = existsSync(path.join(".next", "BUILD_ID"));
    const nextPort = await freePort();
    const nextApp = hasBuild
      ? await start(path.join("node_modules", "next", "dist", "bin", "next"), ["start", "--port", String(nextPort), "--hostname", "127.0.0.1"], { ...env, HOST: "127.0.0.1" }, /Ready in/)
      : null;
    if (!nextApp) log("no production build (.next): the App Router mount is left out of this run (npm run build first)");

    const pools = { connections: Math.max(...CONCURRENCY), pipelining: 1, keepAliveTimeout: 60_000 };
    const direct: Target = { name: "direct", origin: upstreamOrigin, path: "/mcp", headers: {}, pool: new Pool(upstreamOrigin, pools) };
    const gatewayOrigin = `http://127.0.0.1:${port}`;
    const through: Target = {
      name: "gateway",
      origin: gatewayOrigin,
      path: `/gateway/${server.id}/mcp`,
      headers: { authorization: `Bearer ${key}` },
      pool: new Pool(gatewayOrigin, pools),
    };
    const bare: Target = { name: "bare proxy", origin: proxyOrigin, path: "/mcp", headers: {}, pool: new Pool(proxyOrigin, pools) };
    const hasChain = existsSync(SUPERGATEWAY);
    const chainPort = await freePort();
    const chainProcess = hasChain ? await startSupergatewayChain(`${upstreamOrigin}/mcp`, chainPort) : null;
    if (!chainProcess) log("supergateway is not installed (npm install): the supergateway chain is left out of this run");
    const chainOrigin = `http://127.0.0.1:${chainPort}`;
    const chain: Target | null = chainProcess ? { name: "supergateway chain", origin: chainOrigin, path: "/mcp", headers: {}, pool: new Pool(chainOrigin, pools) } : null;
    const nextOrigin = `http://127.0.0.1:${nextPort}`;
    const throughNext: Target | null = nextApp
      ? { name: "gateway (route)", origin: nextOrigin, path: `/gateway/${server.id}/mcp`, headers: { authorization: `Bearer ${key}` }, pool: new Pool(nextOrigin, pools) }
      : null;
    await initialize(direct);
    await initialize(bare);
    if (chain) await initialize(chain);
    await initialize(through);
    if (throughNext) await initialize(throughNext);

    // What the gateway's admit statement confirms for the bench's calls, for the database floor below.
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const revision = (await admin.query<{ r: number }>("SELECT gateway_revision AS r FROM mcp_servers WHERE id = $1", [server.id])).rows[0]!.r;
    await admin.end();
    const confirm = { workspaceId: account.workspace.id, grantId: grant.id, keyHash: hashGrantKey(key), serverId: server.id, revision, sessionHash: hashSessionId(through.session!) };

    log(`\n0. the database's floor on this machine (900 statements one at a time at ${RATE}/s, no other load)`);
    const floor = await databaseFloor(database.url, RATE);
    log(`   a round trip (SELECT 1):                p50 ${f(floor.select.p50)} ms, p99 ${f(floor.select.p99)} ms`);
    log(`   a one-row INSERT, synchronous commit:   p50 ${f(floor.commit.p50)} ms, p99 ${f(floor.commit.p99)} ms (the WAL flush)`);
    log("   every call through the gateway waits for one synchronous commit before it is forwarded: its count and audit row");

    log("warming up (3 s each)...");
    await saturate(direct, 8, 3);
    await saturate(bare, 8, 3);
    if (chain) await saturate(chain, 8, 3);
    const warmGateway = await saturate(through, 8, 3);
    if (throughNext) await saturate(throughNext, 8, 3);
    failures = 0;

    log(`\n1. moderate load: ${RATE} calls/s for ${SECONDS} s (open loop)`);
    const moderateDirect = await atRate(direct, RATE, SECONDS);
    const moderateBare = await atRate(bare, RATE, SECONDS);
    const moderateGateway = await atRate(through, RATE, SECONDS);
    const moderateNext = throughNext ? await atRate(throughNext, RATE, SECONDS) : null;
    log(`\n2. saturation: ${CONCURRENCY.join(", ")} callers for ${SECONDS} s each (closed loop)`);
    /**
     * One target's closed loop, with the CPU its process tree used per call (null for direct calls), and what the
     * whole machine and PostgreSQL used per call meanwhile (for the ceiling printed below).
     */
    const measured = async (target: Target, callers: number, pid: number | null) => {
      const before = pid === null ? 0 : treeCpuMs(pid);
      const userBefore = pid === null ? 0 : cpuMs(pid, "user");
      const pgBefore = postgresCpu();
      const busyBefore = machineBusyMs();
      const result = await saturate(target, callers, SECONDS);
      return {
        result,
        cpuPerCall: pid === null ? NaN : (treeCpuMs(pid) - before) / result.calls,
        userPerCall: pid === null ? NaN : (cpuMs(pid, "user") - userBefore) / result.calls,
        machinePerCall: (machineBusyMs() - busyBefore) / result.calls,
        postgresPerCall: postgresCpuSince(pgBefore) / result.calls,
      };
    };
    type Measured = Awaited<ReturnType<typeof measured>>;
    const saturation: {
      callers: number; direct: Measured; bare: Measured; chain: Measured | null; gateway: Measured; route: Measured | null; floor: Result; floorAsync: Result;
    }[] = [];
    for (const callers of CONCURRENCY) {
      const satDirect = await measured(direct, callers, null);
      const satBare = await measured(bare, callers, proxy.child.pid!);
      const satChain = chain ? await measured(chain, callers, chainProcess!.pid!) : null;
      const satGateway = await measured(through, callers, gatewayPid);
      const satRoute = throughNext ? await measured(throughNext, callers, nextApp!.child.pid!) : null;
      const floorDurable = await admitFloor(database.url, account.workspace.id, confirm, JSON.stringify(policy), callers, SECONDS, false);
      const floorAsync = await admitFloor(database.url, account.workspace.id, confirm, JSON.stringify(policy), callers, SECONDS, true);
      saturation.push({ callers, direct: satDirect, bare: satBare, chain: satChain, gateway: satGateway, route: satRoute, floor: floorDurable, floorAsync });
    }

    const rate = (r: Result) => r.calls / r.seconds;
    const row = (label: string, r: Result, cpu = NaN) =>
      `${label.padEnd(34)} ${String(r.calls).padStart(8)} ${f(rate(r), 0).padStart(9)} ${f(r.p50).padStart(8)} ${f(r.p90).padStart(8)} ${f(r.p99).padStart(8)} ${f(cpu, 3).padStart(9)}`;
    log(`\n${"".padEnd(34)} ${"calls".padStart(8)} ${"calls/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p90 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"CPU ms/call".padStart(9)}`);
    log(row(`${RATE}/s, direct`, moderateDirect));
    log(row(`${RATE}/s, bare proxy`, moderateBare));
    log(row(`${RATE}/s, gateway`, moderateGateway));
    if (moderateNext) log(row(`${RATE}/s, gateway (route)`, moderateNext));
    for (const s of saturation) {
      log(row(`${s.callers} callers, direct`, s.direct.result));
      log(row(`${s.callers} callers, bare proxy`, s.bare.result, s.bare.cpuPerCall));
      if (s.chain) log(row(`${s.callers} callers, supergateway chain`, s.chain.result, s.chain.cpuPerCall));
      log(row(`${s.callers} callers, gateway`, s.gateway.result, s.gateway.cpuPerCall));
      if (s.route) log(row(`${s.callers} callers, route`, s.route.result, s.route.cpuPerCall));
      log(row(`${s.callers} callers, database floor`, s.floor));
      log(row(`${s.callers} callers, floor, async commit`, s.floorAsync));
    }
    if (chain) {
      log("(supergateway chain: two supergateway 4.0.0 processes, client -Streamable HTTP-> A (stdio -> Streamable HTTP, --stateful)");
      log(" -stdio-> B (Streamable HTTP -> stdio) -Streamable HTTP-> the upstream; its CPU is both processes'.)");
    }
    log("(database floor: the same callers running only the gateway's per-call statements, admit + outcome, no HTTP.)");
    const addedP50 = moderateGateway.p50 - moderateDirect.p50;
    const addedP99 = moderateGateway.p99 - moderateDirect.p99;
    const best = saturation.reduce((a, b) => (rate(b.gateway.result) > rate(a.gateway.result) ? b : a));
    const throughput = rate(best.gateway.result);
    log(`\nadded latency at ${RATE}/s: p50 ${f(addedP50)} ms (goal <= 1), p99 ${f(addedP99)} ms (goal <= 5)`);
    log(`  of which the extra HTTP hop (a bare proxy that checks and records nothing): p50 ${f(moderateBare.p50 - moderateDirect.p50)} ms, p99 ${f(moderateBare.p99 - moderateDirect.p99)} ms;`);
    log(`  the gateway over that proxy: p50 ${f(moderateGateway.p50 - moderateBare.p50)} ms, p99 ${f(moderateGateway.p99 - moderateBare.p99)} ms`);
    log(`gateway throughput at saturation: ${f(throughput, 0)} calls/s with ${best.callers} callers (goal >= 1,500)`);
    log(`gateway process CPU per call there: ${f(best.gateway.cpuPerCall, 3)} ms, of which user ${f(best.gateway.userPerCall, 3)} ms (so at most ${f(1000 / best.gateway.cpuPerCall, 0)} calls/s on one core)`);
    for (const s of saturation) {
      const g = rate(s.gateway.result);
      const parts = [
        `${f((g / rate(s.bare.result)) * 100, 0)} % of the bare proxy (goal >= 70 %)`,
        s.chain ? `${f(g / rate(s.chain.result), 2)}x the supergateway chain (goal >= 3x)` : null,
        `${f(g / rate(s.direct.result), 2)}x direct`,
        `${f((g / rate(s.floor)) * 100, 0)} % of the database floor (${f(rate(s.floor), 0)} calls/s; ${f(rate(s.floorAsync), 0)} with async commit)`,
      ];
      log(`${s.callers} callers: the gateway at ${parts.filter(Boolean).join(", ")}`);
    }
    // The ceiling under the 3x goal on this machine. Every process here shares its cores: the load generator, the
    // upstream, PostgreSQL and the kernel's loopback sockets use CPU for each call through the gateway that is not the
    // gateway's. A gateway doing the same per-call database work (each call counted and recorded, committed, before the
    // upstream sees it) at no CPU of its own would still need that much per call, so it could not pass
    // cores / (what the rest used per call).
    log(`\nmachine CPU per call at saturation (${os.cpus().length} cores; "the rest" is the load generator, the upstream and the kernel):`);
    for (const s of saturation) {
      const g = s.gateway;
      const gatewayRest = g.machinePerCall - g.cpuPerCall - g.postgresPerCall;
      const ceiling = (os.cpus().length * 1000) / (g.machinePerCall - g.cpuPerCall);
      log(
        `${s.callers} callers, gateway run: ${f(g.machinePerCall, 3)} ms = gateway ${f(g.cpuPerCall, 3)} + PostgreSQL ${f(g.postgresPerCall, 3)} + the rest ${f(gatewayRest, 3)}; ` +
          `a gateway costing nothing would reach at most ${f(ceiling, 0)} calls/s`,
      );
      if (s.chain) {
        const c = s.chain;
        const chainRate = rate(c.result);
        log(
          `${s.callers} callers, chain run:   ${f(c.machinePerCall, 3)} ms = supergateway chain ${f(c.cpuPerCall, 3)} + the rest ${f(c.machinePerCall - c.cpuPerCall - c.postgresPerCall, 3)}; ` +
            `3x the chain is ${f(3 * chainRate, 0)} calls/s: the ceiling is ${f(ceiling / chainRate, 2)}x the chain (the gateway reached ${f(rate(g.result) / chainRate, 2)}x)`,
        );
      }
    }
    if (moderateNext && best.route) {
      // "gateway" is scripts/server.ts answering /gateway/... before Next.js; "route" is the same handler as an App
      // Router route under `next start` (app/gateway/[server]/mcp/route.ts).
      log(`the App Router mount (next start): added p50 ${f(moderateNext.p50 - moderateDirect.p50)} ms, p99 ${f(moderateNext.p99 - moderateDirect.p99)} ms at ${RATE}/s; ` +
        `${f(rate(best.route.result), 0)} calls/s with ${best.callers} callers (${f((rate(best.route.result) / throughput) * 100, 0)} % of the node:http mount), ` +
        `${f(best.route.cpuPerCall, 3)} ms of CPU per call`);
    }

    let soakGatewayCalls = 0;
    if (SOAK > 0) {
      log(`\n3. soak: ${RATE} calls/s through the gateway for ${SOAK} s, gateway RSS sampled every 10 s`);
      const samples: { t: number; mib: number }[] = [];
      const t0 = performance.now();
      const sample = () => samples.push({ t: (performance.now() - t0) / 1000, mib: rssMiB(gatewayPid) });
      sample();
      const timer = setInterval(sample, 10_000);
      const soak = await atRate(through, RATE, SOAK);
      clearInterval(timer);
      sample();
      soakGatewayCalls = soak.calls;
      log(`   ${samples.map((s) => `${f(s.t, 0)}s:${f(s.mib, 0)}`).join("  ")} (MiB)`);
      // Slope over the second half, after caches and pools have warmed up.
      const late = samples.filter((s) => s.t >= SOAK / 2);
      const n = late.length;
      const mt = late.reduce((a, s) => a + s.t, 0) / n;
      const mm = late.reduce((a, s) => a + s.mib, 0) / n;
      const slope = late.reduce((a, s) => a + (s.t - mt) * (s.mib - mm), 0) / Math.max(1e-9, late.reduce((a, s) => a + (s.t - mt) ** 2, 0));
      log(`   p50 ${f(soak.p50)} ms, p99 ${f(soak.p99)} ms; RSS first ${f(samples[0]!.mib, 0)} MiB, max ${f(Math.max(...samples.map((s) => s.mib)), 0)} MiB, last ${f(samples.at(-1)!.mib, 0)} MiB; second-half slope ${f(slope * 60)} MiB/min`);
    }

    // Exactly one audit row per call through the gateway (warm-up included), plus initialize and its notification.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM audit_events WHERE method = 'tools/call' AND request_id NOT LIKE 'floor-%'`);
    // Outcomes (status, timings) follow the answers within a few tens of milliseconds.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const open = await client.query<{ n: string }>(`SELECT count(*) AS n FROM audit_events WHERE forwarded AND upstream_status IS NULL`);
    await client.end();
    const gatewayCalls =
      moderateGateway.calls + (moderateNext?.calls ?? 0) + saturation.reduce((n, s) => n + s.gateway.result.calls + (s.route?.result.calls ?? 0), 0) + soakGatewayCalls;
    log(`\naudit rows for tools/call: ${rows[0]!.n} (measured calls ${gatewayCalls}, plus the warm-up's); forwarded rows still without their outcome: ${open.rows[0]!.n}`);
    if (Number(open.rows[0]!.n) > 0) {
      failures++;
      firstFailure ||= `${open.rows[0]!.n} forwarded calls have no recorded outcome`;
    }
    log(failures === 0 ? "every answer checked: all calls returned their echo" : `FAILED CALLS: ${failures}; first: ${firstFailure}`);
    profiledCalls = warmGateway.calls + moderateGateway.calls + saturation.reduce((n, s) => n + s.gateway.result.calls, 0) + soakGatewayCalls;
    if (flags.instances) await measureInstances(flags.instances.split(",").map(Number), database.url, env, key, server.id);
    await Promise.all([direct.pool.close(), bare.pool.close(), chain?.pool.close(), through.pool.close(), throughNext?.pool.close()]);
    if (failures > 0) process.exitCode = 1;
  } finally {
    await stopChildren();
    await database.drop().catch(() => {});
  }
  if (flags.profile && profiledCalls > 0) printProfile(path.resolve(flags.profile), gatewayPid, profiledCalls);
}

/** CPU (ms) used so far by each PostgreSQL server process on this machine, by process id. */
function postgresCpu(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres") byPid.set(Number(entry), cpuMs(Number(entry)));
    } catch {
      // gone meanwhile
    }
  }
  return byPid;
}

/** What PostgreSQL used between two readings: backends that started meanwhile count from zero, ended ones drop out. */
function postgresCpuSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of postgresCpu()) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** The machine's busy CPU so far (user, nice, system, irq, softirq, steal over every core), in ms, from /proc/stat. */
function machineBusyMs(): number {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) * 10;
}

/**
 * Scale-out: for each count, that many gateway-only instances behind HAProxy (lib/cluster, as npm run cluster starts
 * them) on this run's database, saturated through HAProxy by the largest --concurrency of callers. Prints calls/s, the
 * CPU the instances, PostgreSQL and the rest used per call, and PostgreSQL's share of the machine's time, to show
 * where the next bottleneck is. On one machine the instances share its cores with PostgreSQL and the load generator,
 * so this shows the database's share growing, not what separate machines would give.
 */
async function measureInstances(counts: number[], databaseUrl: string, env: Record<string, string>, key: string, serverId: string): Promise<void> {
  const { findHaproxy, startCluster } = await import("../lib/cluster/cluster");
  if (!findHaproxy()) {
    log("\n4. instances: HAProxy is not installed (apt-get install haproxy): left out of this run");
    return;
  }
  const callers = Math.max(...CONCURRENCY);
  const cores = os.cpus().length;
  log(`\n4. instances behind HAProxy on one PostgreSQL: ${callers} callers for ${SECONDS} s each (closed loop)`);
  const rows: string[] = [];
  for (const n of counts) {
    const cluster = await startCluster({ instances: n, databaseUrl, serverArgs: ["--gateway-only"], env });
    const pool = new Pool(cluster.frontUrl, { connections: callers * 2, pipelining: 1 });
    const target: Target = { name: `${n} instances`, origin: cluster.frontUrl, path: `/gateway/${serverId}/mcp`, headers: { authorization: `Bearer ${key}` }, pool };
    try {
      await initialize(target);
      await saturate(target, callers, 2);
      const instancesBefore = cluster.instances.reduce((sum, i) => sum + treeCpuMs(i.pid), 0);
      const pgBefore = postgresCpu();
      const busyBefore = machineBusyMs();
      const result = await saturate(target, callers, SECONDS);
      const instancesMs = cluster.instances.reduce((sum, i) => sum + treeCpuMs(i.pid), 0) - instancesBefore;
      const pgMs = postgresCpuSince(pgBefore);
      const busyMs = machineBusyMs() - busyBefore;
      const rate = result.calls / result.seconds;
      const machineMs = result.seconds * 1000 * cores;
      const share = (ms: number) => `${f((ms / machineMs) * 100, 0)} %`;
      rows.push(
        `${String(n).padStart(9)} ${f(rate, 0).padStart(9)} ${f(result.p50).padStart(8)} ${f(result.p99).padStart(8)} ${f(instancesMs / result.calls, 3).padStart(16)} ` +
          `${f(pgMs / result.calls, 3).padStart(16)} ${share(instancesMs).padStart(10)} ${share(pgMs).padStart(10)} ${share(busyMs - instancesMs - pgMs).padStart(10)} ${share(machineMs - busyMs).padStart(8)}`,
      );
    } finally {
      await pool.close();
      await cluster.stop();
    }
  }
  log(
    `${"instances".padStart(9)} ${"calls/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"gateways ms/call".padStart(16)} ${"postgres ms/call".padStart(16)} ` +
      `${"gateways".padStart(10)} ${"postgres".padStart(10)} ${"the rest".padStart(10)} ${"idle".padStart(8)}`,
  );
  for (const row of rows) log(row);
  log(`(shares of the machine's ${cores} cores over the run; the rest is HAProxy, the load generator, the upstream and the kernel)`);
}

/** The gateway's CPU by stage, from the profile its process wrote on the way out (scripts/bench/profile-stages.ts). */
function printProfile(dir: string, pid: number, calls: number): void {
  // node --cpu-prof names the main thread's profile CPU.<date>.<time>.<pid>.0.<seq>.cpuprofile.
  const file = readdirSync(dir).find((name) => name.includes(`.${pid}.0.`) && name.endsWith(".cpuprofile"));
  if (!file) {
    log(`\nno CPU profile of the gateway (pid ${pid}) in ${dir}`);
    return;
  }
  const { busyMs, categories } = profileStages(path.join(dir, file));
  log(`\nthe gateway's busy CPU by stage (${path.join(dir, file)}: ${f(busyMs, 0)} ms over ${calls} calls through it, warm-up and soak included)`);
  for (const [name, ms] of categories) log(`  ${name.padEnd(46)} ${f((ms / busyMs) * 100, 1).padStart(5)} %  ${f((ms / calls) * 1000, 1).padStart(6)} µs/call`);
}

/**
 * Asks every child to stop and waits for them (a profiled gateway writes its profile on the way out; supergateway takes
 * a few seconds to end its sessions), then ends what is left of their process trees.
 */
async function stopChildren(): Promise<void> {
  const cmdline = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      return null;
    }
  };
  // With their command lines, so a process id reused meanwhile by someone else's process is left alone.
  const trees = children.filter((c) => c.pid !== undefined).flatMap((c) => processTree(c.pid!)).map((pid) => ({ pid, cmd: cmdline(pid) }));
  for (const child of children) child.kill("SIGTERM");
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && children.some((c) => c.exitCode === null && c.signalCode === null)) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const { pid, cmd } of trees) {
    if (cmd === null || cmdline(pid) !== cmd) continue;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

main().catch(async (error) => {
  console.error(error);
  await stopChildren();
  process.exit(1);
});
