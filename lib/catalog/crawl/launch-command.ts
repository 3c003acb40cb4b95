import path from "node:path";

// The command line that starts a catalog server for listing. `env -i` gives the server only the variables named
// here (never the crawler's own environment, which may hold secrets). With isolation, `unshare` puts it in a new
// network namespace (no network but its own loopback) and a new PID namespace whose first process is the server,
// so when it ends, everything it started ends with it. Pure.

export type Isolation = "unshare" | "none";

/** How the report and each listing name the isolation. */
export function isolationLabel(isolation: Isolation): string {
  return isolation === "unshare" ? "unshare -n" : "none (unshare unavailable)";
}

export interface LaunchInput {
  /** The server's program (a package's command) and its arguments, placeholders already filled in. */
  program: string;
  args: readonly string[];
  /** Placeholder variables from the source's crawl block. */
  env: Readonly<Record<string, string>>;
  /** The server's temporary home folder. */
  home: string;
  /** Folders of programs the server may run (a package's node_modules/.bin), before the system's. */
  binDirs: readonly string[];
  /** The folder of the Node.js that runs the crawler, so `#!/usr/bin/env node` finds the same one. */
  nodeDir: string;
  isolation: Isolation;
  needs?: "redis";
}

export interface LaunchCommand {
  command: string;
  args: string[];
}

// Loopback is down in a new network namespace; a server may bind or reach 127.0.0.1 inside its own.
const LOOPBACK_UP = "ip link set lo up 2>/dev/null || true";
const REDIS =
  'command -v redis-server >/dev/null || { echo "redis-server is not installed on this machine" >&2; exit 127; }; ' +
  'redis-server --port 6379 --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --dir "$HOME" --logfile "" >/dev/null; ' +
  "for i in $(seq 50); do redis-cli -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done";

export function minimalEnvironment(input: Pick<LaunchInput, "env" | "home" | "binDirs" | "nodeDir">): Record<string, string> {
  const systemPath = ["/usr/local/bin", "/usr/bin", "/bin"];
  const entries = [...input.binDirs, input.nodeDir, ...systemPath];
  return {
    ...input.env,
    PATH: [...new Set(entries)].join(path.delimiter),
    HOME: input.home,
    TMPDIR: path.join(input.home, "tmp"),
  };
}

export function launchCommand(input: LaunchInput): LaunchCommand {
  if (input.needs && input.isolation !== "unshare") {
    throw new Error(`This server needs ${input.needs}, which the crawler starts only inside the server's own network namespace, and unshare is unavailable here.`);
  }
  const environment = Object.entries(minimalEnvironment(input)).map(([name, value]) => `${name}=${value}`);
  const server = [input.program, ...input.args];
  if (input.isolation === "none") return { command: "env", args: ["-i", ...environment, ...server] };
  // The shell sets PWD for itself; unset, the server's environment is exactly the one above.
  const script = [LOOPBACK_UP, ...(input.needs === "redis" ? [REDIS] : []), "unset PWD OLDPWD", 'exec "$@"'].join("; ");
  return {
    command: "env",
    args: ["-i", ...environment, "unshare", "--net", "--pid", "--fork", "--kill-child", "--", "sh", "-c", script, "sh", ...server],
  };
}
