#!/usr/bin/env node
// Runs the CLI from the app's TypeScript sources (lib/cli/entry.ts) through tsx, so the CLI and the app share
// one implementation of the classifier and the policy language.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const result = spawnSync(
  process.execPath,
  ["--import", import.meta.resolve("tsx"), `${root}lib/cli/entry.ts`, ...process.argv.slice(2)],
  { stdio: "inherit", env: { ...process.env, TSX_TSCONFIG_PATH: `${root}tsconfig.json` } },
);
process.exit(result.status ?? 1);
