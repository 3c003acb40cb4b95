import { randomBytes } from "node:crypto";
import { chownSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { embeddedDatabaseError } from "./embedded-database-error";
import type { PostgresBinaries } from "./postgres-binaries";
import type { RunAs } from "./postgres-user";
import { problemLine, runPostgresProgram } from "./run-postgres-program";

export interface ClusterSettings {
  binaries: PostgresBinaries;
  pgDir: string;
  user: string;
  password: string;
  runAs?: RunAs;
  log: (line: string) => void;
}

/** Creates a new cluster in `pgDir` (initdb) with one superuser, `user`, signing in with `password` (SCRAM). */
export async function initCluster({ binaries, pgDir, user, password, runAs, log }: ClusterSettings): Promise<void> {
  mkdirSync(pgDir, { recursive: true, mode: 0o700 });
  // initdb reads the password from a file: beside the cluster (a folder its user reaches), readable by it alone.
  const passwordFile = path.join(path.dirname(pgDir), `.pg-password-${randomBytes(6).toString("hex")}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600, flag: "wx" });
  try {
    if (runAs) {
      chownSync(pgDir, runAs.uid, runAs.gid);
      chownSync(passwordFile, runAs.uid, runAs.gid);
    }
    const initdb = runPostgresProgram(
      binaries.initdb,
      [`--pgdata=${pgDir}`, "--auth=scram-sha-256", `--username=${user}`, `--pwfile=${passwordFile}`, "--lc-messages=C"],
      { runAs, log },
    );
    await initdb.spawned;
    const { code, lines } = await initdb.closed;
    if (code !== 0) {
      throw embeddedDatabaseError(
        `initdb could not create the cluster in ${pgDir} (${problemLine(lines)})`,
        "Run again with PORTCULLIS_DEBUG=1 to see its whole output",
      );
    }
  } finally {
    rmSync(passwordFile, { force: true });
  }
}
