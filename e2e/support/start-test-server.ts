// Starts the built app for the browser tests on a database of its own (see tests/test-database.ts), and drops
// that database when Playwright stops the server.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "../../tests/test-database";

async function main() {
  const database = await createTestDatabase("e2e");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "portcullis-e2e-data-"));
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/server.ts"], {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: database.url, PORTCULLIS_DATA_DIR: dataDir, HOST: "127.0.0.1" },
  });
  const stop = async () => {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    await database.drop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  child.on("exit", (code) => {
    if (code !== 0 && code !== null) process.exit(code);
  });
}

void main();
