import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startEmbeddedDatabase } from "@/lib/db/embedded";
import { EmbeddedDatabaseError } from "@/lib/db/embedded-database-error";
import { findPostgresBinaries } from "@/lib/db/postgres-binaries";
import { startPostgres } from "@/lib/db/start-postgres";

// Every way the embedded PostgreSQL fails to start ends in one sentence saying what to do, never a crash or a
// stack trace: scripts/server.ts prints that sentence and exits 1.

const dirs: string[] = [];
function tempDir(label: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `portcullis-${label}-`));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const INSTEAD = /or set DATABASE_URL to a PostgreSQL you run/;

describe("when the embedded PostgreSQL cannot start", () => {
  it("names a port that is already in use", { timeout: 60_000 }, async () => {
    const port = await freePort();
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(port, "127.0.0.1", resolve));
    try {
      const failure = await startEmbeddedDatabase({ dataDir: tempDir("port-taken"), port, notice: () => {} }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(EmbeddedDatabaseError);
      expect((failure as Error).message).toMatch(new RegExp(`port ${port} is already in use\\. Stop the program that listens on it, `));
      expect((failure as Error).message).toMatch(INSTEAD);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it("names a data folder that cannot be written", async () => {
    const file = path.join(tempDir("not-a-folder"), "file");
    writeFileSync(file, "");
    const failure = startEmbeddedDatabase({ dataDir: path.join(file, "data"), notice: () => {} });
    await expect(failure).rejects.toThrow(EmbeddedDatabaseError);
    await expect(failure).rejects.toThrow(/cannot be written \(ENOTDIR\)\. Set PORTCULLIS_DATA_DIR to a folder /);
    await expect(failure).rejects.toThrow(INSTEAD);
  });

  it("names a program that cannot be run, instead of crashing on the spawn error", async () => {
    const native = tempDir("not-executable");
    const postgres = path.join(native, "postgres");
    writeFileSync(postgres, "#!/bin/sh\n", { mode: 0o644 });
    const binaries = { ...(await findPostgresBinaries()), nativeDir: native, postgres };
    const failure = startPostgres({ binaries, pgDir: path.join(native, "pg"), log: () => {} }, await freePort(), []);
    await expect(failure).rejects.toThrow(EmbeddedDatabaseError);
    await expect(failure).rejects.toThrow(new RegExp(`${postgres} cannot be run \\(EACCES\\)`));
    await expect(failure).rejects.toThrow(INSTEAD);
  });

  // A person at a terminal gets the sentence as text; a container's log collector (anything that is not a terminal)
  // gets it as one JSON line (lib/log/log.ts). Either way: that sentence alone, no stack, exit 1.
  function startInAFile(format: "text" | "json") {
    const file = path.join(tempDir(`server-not-a-folder-${format}`), "file");
    writeFileSync(file, "");
    const env: NodeJS.ProcessEnv = { ...process.env, PORTCULLIS_DATA_DIR: path.join(file, "data"), PORT: "0", PORTCULLIS_LOG_FORMAT: format };
    delete env.DATABASE_URL;
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/server.ts", "--gateway-only"], { env, encoding: "utf8", timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stderr + result.stdout).not.toMatch(/^\s+at /m);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    return lines[0]!;
  }

  it("makes scripts/server.ts print that sentence alone, with no stack trace, and exit 1", () => {
    const line = startInAFile("text");
    expect(line).toMatch(/^\[portcullis\] could not start: The embedded PostgreSQL could not start: .* cannot be written \(ENOTDIR\)\. /);
    expect(line).toMatch(INSTEAD);
  });

  it("writes the same sentence as one JSON line when the log format is JSON", () => {
    const event = JSON.parse(startInAFile("json")) as Record<string, unknown>;
    expect(Object.keys(event)).toEqual(["time", "level", "component", "msg"]);
    expect(event).toMatchObject({ level: "error", component: "portcullis" });
    expect(Date.parse(event.time as string)).not.toBeNaN();
    expect(event.msg).toMatch(/^could not start: The embedded PostgreSQL could not start: .* cannot be written \(ENOTDIR\)\. /);
    expect(event.msg).toMatch(INSTEAD);
  });
});
