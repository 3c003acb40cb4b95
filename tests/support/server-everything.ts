import { spawn } from "node:child_process";
import { connect } from "node:net";
import path from "node:path";
import { freePort } from "../../lib/db/embedded";

// The MCP project's reference server, run as a real process: `streamableHttp` serves /mcp, `sse` serves /sse.

export interface RunningEverything {
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp (or /sse). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export type RunningUpstream = RunningEverything;

export async function startServerEverything(mode: "streamableHttp" | "sse" = "streamableHttp"): Promise<RunningEverything> {
  const port = await freePort();
  const entry = path.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
  const child = spawn(process.execPath, [entry, mode], { env: { ...process.env, PORT: String(port) }, stdio: "ignore" });
  // Never outlive the test run (and stop listening for it once the child is gone: a run starts dozens of these).
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.removeListener("exit", killOnExit));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server-everything exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) break;
    if (Date.now() > deadline) throw new Error("server-everything did not start listening within 15 s");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}/${mode === "sse" ? "sse" : "mcp"}`,
    port,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
