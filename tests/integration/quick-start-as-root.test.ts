import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/db/embedded";

// The quick start as a newcomer running as root meets it: the project in a folder only root may enter (what
// `mktemp -d` makes, or anything under /root), no DATABASE_URL. PostgreSQL then runs as the postgres user, which
// can reach neither the data folder nor the programs under node_modules; the app must start anyway.

const isRoot = process.getuid?.() === 0;
const project = process.cwd();
// The working tree as a clone of it would hold it (tracked and new files, not ignored ones), so the current code is tested.
const files = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: project, encoding: "utf8" });
const inGitCheckout = files.status === 0;

const made: string[] = [];
let server: ChildProcess | undefined;

afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill("SIGTERM");
    await exited(server, 20_000).catch(() => server?.kill("SIGKILL"));
  }
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!isRoot || !inGitCheckout)(
  `the quick start as root from a private folder${isRoot ? "" : " (skipped: needs root, the only user whose PostgreSQL runs as the postgres user)"}${inGitCheckout ? "" : " (skipped: needs a git checkout to clone)"}`,
  () => {
    it("starts from a clone in a 0700 folder without DATABASE_URL, answers, and stops cleanly", { timeout: 180_000 }, async () => {
      const parent = mkdtempSync(path.join(os.tmpdir(), "portcullis-private-"));
      made.push(parent);
      expect(statSync(parent).mode & 0o777).toBe(0o700);
      const clone = path.join(parent, "portcullis");
      for (const file of files.stdout.split("\0").filter(Boolean)) {
        if (!existsSync(path.join(project, file))) continue; // deleted in the working tree
        mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
        copyFileSync(path.join(project, file), path.join(clone, file));
      }
      // What `npm install` would put there, cheaply: hard links make new folders under the private one, not a
      // symlink (which would leave PostgreSQL's programs in the reachable project folder).
      execFileSync("cp", ["-al", path.join(project, "node_modules"), path.join(clone, "node_modules")]);
      execFileSync(process.execPath, ["scripts/prisma-generate.mjs"], { cwd: clone, stdio: "ignore" });

      const port = await freePort();
      const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1" };
      for (const name of ["DATABASE_URL", "PORTCULLIS_BASE_DATABASE_URL", "PORTCULLIS_DATA_DIR", "NEXTAUTH_SECRET", "NODE_ENV"]) delete env[name];
      server = spawn(process.execPath, ["--import", "tsx", "scripts/server.ts", "--gateway-only"], { cwd: clone, env, stdio: "pipe" });
      let output = "";
      server.stdout?.on("data", (chunk) => (output += chunk));
      server.stderr?.on("data", (chunk) => (output += chunk));
      // The cluster's folder under /var/lib/portcullis belongs to this test's data folder: removed afterwards.
      const clusterDir = () => output.match(/keeping the embedded cluster in (\/var\/lib\/portcullis\/[0-9a-f]+)\/pg/)?.[1];

      try {
        const deadline = Date.now() + 120_000;
        while (!output.includes("gateway ready at")) {
          if (server.exitCode !== null) throw new Error(`The app exited with ${server.exitCode}:\n${output}`);
          if (Date.now() > deadline) throw new Error(`The app did not start within 120 s:\n${output}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(output).toContain(`the postgres user cannot reach ${path.join(clone, ".data")}`);
        expect(output).toMatch(/applied migrations: /);

        // An unknown key is refused after a database lookup (503 when the database cannot be reached).
        const answer = await fetch(`http://127.0.0.1:${port}/gateway/00000000-0000-4000-8000-000000000000/mcp`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: "Bearer pcg_unknown" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
        });
        expect(answer.status).toBe(401);
        expect(await answer.text()).toContain("This key is not valid");

        server.kill("SIGTERM");
        expect(await exited(server, 30_000)).toBe(0);
        expect(existsSync(path.join(clusterDir()!, "pg", "postmaster.pid"))).toBe(false);
      } finally {
        const dir = clusterDir();
        if (dir) {
          await stopLeftoverPostgres(path.join(dir, "pg"));
          made.push(dir);
        }
      }
    });
  },
);

function exited(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms`)), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

// After a failed run, a PostgreSQL the app started may outlive it; it is stopped before its folder is removed.
async function stopLeftoverPostgres(pgDir: string): Promise<void> {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return; // already gone
  }
  for (let i = 0; i < 100 && existsSync(pidFile); i++) await new Promise((resolve) => setTimeout(resolve, 100));
}
