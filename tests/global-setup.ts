import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate } from "../lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "./test-database";

let database: TestDatabase | undefined;

export async function setup() {
  database = await createTestDatabase("vitest");
  await migrate(database.url);
  // Test workers are started after this and inherit the environment.
  process.env.PORTCULLIS_BASE_DATABASE_URL = process.env.DATABASE_URL ?? "";
  process.env.DATABASE_URL = database.url;
  process.env.PORTCULLIS_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "portcullis-vitest-data-"));
  process.env.NEXTAUTH_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
}

export async function teardown() {
  await database?.drop();
}
