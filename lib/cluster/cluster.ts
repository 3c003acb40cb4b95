// Several Portcullis instances (scripts/server.ts) on loopback, one PostgreSQL behind them all, and HAProxy in front
// sending requests round robin: `npm run cluster` (scripts/cluster.ts) and the cluster tests start and stop it here,
// so what is tested is what people run. Every instance shares the database and the data folder (the session secret
// and the credential key must be the same everywhere); nothing else is shared, which is the point.
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "@/lib/db/embedded";

/** A start-up failure the person can act on, in one sentence (printed without a stack). */
export class ClusterError extends Error {
  override name = "ClusterError";
}

export const NO_DATABASE =
  "A cluster needs a shared PostgreSQL: set DATABASE_URL (for example postgresql://postgres@127.0.0.1:5432/portcullis) and start it again.";
export const NO_HAPROXY =
  "HAProxy is not installed: install it with `sudo apt-get install haproxy` (Debian, Ubuntu) or your system's package manager, then start the cluster again.";

export interface ClusterOptions {
  /** How many instances of scripts/server.ts (1 or more). */
  instances: number;
  databaseUrl: string;
  /** Arguments for each instance, e.g. ["--gateway-only"]. */
  serverArgs?: string[];
  /** Added to the inherited environment of every instance. */
  env?: Record<string, string>;
  /** HAProxy's port on 127.0.0.1; a free one when unset. */
  frontPort?: number;
  /** The project folder (scripts/server.ts is found there). */
  cwd?: string;
  /** Each line an instance or HAProxy writes, with who wrote it ("1", "2"..., "haproxy"). */
  output?: (from: string, line: string) => void;
  /** How long an instance may take to be ready (migrations, and Next.js when it serves the console). */
  readyTimeoutMs?: number;
}

export interface ClusterInstance {
  /** 1-based, as printed and as named in HAProxy's configuration (`instance1`...). */
  index: number;
  url: string;
  pid: number;
  /** Set once the process has exited, with its code or signal. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Resolves when the process exits, whatever ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal (SIGKILL to simulate a crash) and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface Cluster {
  /** HAProxy's address: what clients use. */
  frontUrl: string;
  /** HAProxy's statistics page (`;csv` appended gives them as CSV). */
  statsUrl: string;
  instances: ClusterInstance[];
  /** The temporary folder holding haproxy.cfg (removed by stop). */
  configDir: string;
  /** Stops HAProxy and every instance (SIGTERM, then SIGKILL after a grace period), and removes the folder. */
  stop(): Promise<void>;
}

/** HAProxy's configuration: round robin over the instances, a failed connection retried on another one. */
export function haproxyConfig(options: { frontPort: number; statsPort: number; instancePorts: number[] }): string {
  const servers = options.instancePorts.map((port, i) => `  server instance${i + 1} 127.0.0.1:${port}`);
  return [
    "defaults",
    "  mode http",
    "  option forwardfor",
    // Only a connection the instance refused is tried again (on another instance): a request that reached one may
    // have been admitted and forwarded, so sending it twice could run a tool twice.
    "  retries 3",
    "  option redispatch 1",
    "  timeout connect 2s",
    // Event streams (a held call, a session's GET stream) stay open for long: the gateway writes progress every 5 s,
    // a GET stream may be quiet for as long as the upstream has nothing to say.
    "  timeout client 1h",
    "  timeout server 1h",
    "  timeout tunnel 1h",
    "  timeout http-request 30s",
    "  timeout http-keep-alive 65s",
    "",
    "frontend portcullis",
    `  bind 127.0.0.1:${options.frontPort}`,
    "  default_backend instances",
    "",
    "backend instances",
    "  balance roundrobin",
    // A crashed instance is taken out within a check or two; until then its refused connections are redispatched.
    "  default-server check inter 500ms fall 1 rise 2",
    ...servers,
    "",
    "listen stats",
    `  bind 127.0.0.1:${options.statsPort}`,
    "  stats enable",
    "  stats uri /",
    "",
  ].join("\n");
}

/** The haproxy binary, or null when it is not installed (Debian puts it in /usr/sbin, not on every user's PATH). */
export function findHaproxy(searchPath = process.env.PATH ?? "", systemDirs = ["/usr/sbin", "/usr/local/sbin", "/sbin"]): string | null {
  const dirs = [...searchPath.split(path.delimiter).filter(Boolean), ...systemDirs];
  for (const dir of dirs) {
    const candidate = path.join(dir, "haproxy");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

interface Child {
  process: ChildProcess;
  exited: Promise<void>;
  tail: string[];
}

const TAIL_LINES = 40;

function startChild(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; name: string; output?: ClusterOptions["output"] }): Child {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  const tail: string[] = [];
  const onLines = (stream: NodeJS.ReadableStream | null) => {
    let rest = "";
    stream?.on("data", (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        options.output?.(options.name, line);
      }
    });
  };
  onLines(child.stdout);
  onLines(child.stderr);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { process: child, exited, tail };
}

function isRunning(child: Child): boolean {
  return child.process.exitCode === null && child.process.signalCode === null;
}

async function stopChild(child: Child, graceMs: number): Promise<void> {
  if (!isRunning(child)) return;
  child.process.kill("SIGTERM");
  const timer = setTimeout(() => child.process.kill("SIGKILL"), graceMs);
  await child.exited;
  clearTimeout(timer);
}

/** Resolves with the port an instance prints once it listens ("... ready at http://localhost:PORT..."). */
function instanceReady(child: Child, timeoutMs: number, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ready = /ready at http:\/\/[^\s/:]+:(\d+)/;
    const timer = setTimeout(() => fail(`instance ${name} was not ready within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = ready.exec(seen);
      if (match) done(() => resolve(Number(match[1])));
    };
    const onExit = () => fail(`instance ${name} exited before it was ready`);
    const done = (then: () => void) => {
      clearTimeout(timer);
      child.process.stdout?.off("data", onData);
      child.process.off("exit", onExit);
      then();
    };
    const fail = (what: string) => done(() => reject(new ClusterError(`${what}:\n${child.tail.join("\n")}`)));
    child.process.stdout?.on("data", onData);
    child.process.once("exit", onExit);
  });
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** Waits until HAProxy accepts connections on both ports; false when it exited first (a port taken, a bad config). */
async function haproxyReady(child: Child, ports: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(child)) return false;
    if ((await Promise.all(ports.map(portOpen))).every(Boolean) && isRunning(child)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  if (!options.databaseUrl) throw new ClusterError(NO_DATABASE);
  if (!Number.isInteger(options.instances) || options.instances < 1) throw new ClusterError("--instances must be a whole number, 1 or more.");
  const haproxy = findHaproxy();
  if (!haproxy) throw new ClusterError(NO_HAPROXY);
  const cwd = options.cwd ?? process.cwd();
  const children: Child[] = [];
  // Never outlive the process that started them, however it ends.
  const killAll = () => children.forEach((c) => isRunning(c) && c.process.kill("SIGKILL"));
  process.once("exit", killAll);
  const configDir = mkdtempSync(path.join(os.tmpdir(), "portcullis-cluster-"));
  const stopAll = async () => {
    await Promise.all(children.map((c) => stopChild(c, 10_000)));
    process.off("exit", killAll);
    rmSync(configDir, { recursive: true, force: true });
  };

  try {
    // Behind HAProxy, the client's address is the last X-Forwarded-For entry HAProxy adds: one more trusted hop.
    const hops = Number(process.env.TRUST_PROXY_HOPS ?? 0) + 1;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...options.env,
      DATABASE_URL: options.databaseUrl,
      HOST: "127.0.0.1",
      PORT: "0",
      TRUST_PROXY_HOPS: String(hops),
    };
    const script = path.join(cwd, "scripts", "server.ts");
    const started = Array.from({ length: options.instances }, (_, i) =>
      startChild(process.execPath, ["--import", "tsx", script, ...(options.serverArgs ?? [])], { cwd, env, name: String(i + 1), output: options.output }),
    );
    children.push(...started);
    const ports = await Promise.all(started.map((child, i) => instanceReady(child, options.readyTimeoutMs ?? 120_000, String(i + 1))));

    // A free port can be taken between the check and HAProxy's bind: then try new ones (only when none was asked for).
    let front: { child: Child; frontPort: number; statsPort: number } | undefined;
    for (let attempt = 0; attempt < 3 && !front; attempt++) {
      const frontPort = options.frontPort ?? (await freePort());
      const statsPort = await freePort();
      const config = path.join(configDir, "haproxy.cfg");
      writeFileSync(config, haproxyConfig({ frontPort, statsPort, instancePorts: ports }));
      // -db: stay in the foreground, so stopping this process stops HAProxy.
      const child = startChild(haproxy, ["-db", "-f", config], { cwd: configDir, env: process.env, name: "haproxy", output: options.output });
      children.push(child);
      if (await haproxyReady(child, [frontPort, statsPort], 10_000)) front = { child, frontPort, statsPort };
      else {
        await stopChild(child, 1_000);
        if (options.frontPort !== undefined || attempt === 2) {
          throw new ClusterError(`HAProxy did not start on 127.0.0.1:${frontPort}:\n${child.tail.join("\n")}`);
        }
      }
    }

    const instances = started.map((child, i): ClusterInstance => {
      const instance: ClusterInstance = {
        index: i + 1,
        url: `http://127.0.0.1:${ports[i]}`,
        pid: child.process.pid!,
        exit: null,
        exited: new Promise((resolve) => child.process.once("exit", (code, signal) => resolve({ code, signal }))),
        kill: async (signal = "SIGTERM") => {
          if (isRunning(child)) child.process.kill(signal);
          await child.exited;
        },
      };
      child.process.once("exit", (code, signal) => (instance.exit = { code, signal }));
      return instance;
    });
    return {
      frontUrl: `http://127.0.0.1:${front!.frontPort}`,
      statsUrl: `http://127.0.0.1:${front!.statsPort}/`,
      instances,
      configDir,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
