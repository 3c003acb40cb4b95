import { embeddedDatabaseError, type EmbeddedDatabaseError } from "./embedded-database-error";
import type { ClusterSettings } from "./init-cluster";
import { problemLine, runPostgresProgram } from "./run-postgres-program";

export interface RunningPostgres {
  /** Fast shutdown (SIGINT); resolves once the server has exited. */
  stop(): Promise<void>;
}

/** Starts the server of the cluster in `pgDir` and resolves once it accepts connections. */
export async function startPostgres(
  { binaries, pgDir, runAs, log }: Omit<ClusterSettings, "user" | "password">,
  port: number,
  flags: string[],
): Promise<RunningPostgres> {
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const server = runPostgresProgram(binaries.postgres, ["-D", pgDir, "-p", String(port), "-c", "lc_messages=C", ...flags], {
    runAs,
    log,
    onLine: (line) => line.includes("database system is ready to accept connections") && ready(),
  });
  await server.spawned;
  const exitedEarly = server.closed.then(({ lines }) => {
    throw startFailure(lines, pgDir, port);
  });
  await Promise.race([isReady, exitedEarly]);
  exitedEarly.catch(() => {});
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        const { child } = server;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGINT");
      }),
  };
}

// What PostgreSQL said when it stopped right away, told as what to do.
function startFailure(lines: string[], pgDir: string, port: number): EmbeddedDatabaseError {
  const said = lines.join("\n");
  if (/Address already in use/.test(said)) {
    return embeddedDatabaseError(`port ${port} is already in use`, "Stop the program that listens on it");
  }
  if (/lock file ".*" already exists/.test(said)) {
    return embeddedDatabaseError(`another PostgreSQL is using ${pgDir}`, "Stop it (it may be another copy of this app)");
  }
  if (/database files are incompatible with server/.test(said)) {
    return embeddedDatabaseError(
      `the data in ${pgDir} was made by another version of PostgreSQL`,
      "Move that folder away to start afresh (or dump it with the version that made it)",
    );
  }
  if (/has wrong ownership|has invalid permissions|Permission denied/.test(said)) {
    return embeddedDatabaseError(
      `PostgreSQL may not use ${pgDir} (${problemLine(lines)})`,
      "Give that folder to the user PostgreSQL runs as (postgres when the app runs as root), mode 0700",
    );
  }
  return embeddedDatabaseError(`PostgreSQL stopped as it started (${problemLine(lines)})`, "Run again with PORTCULLIS_DEBUG=1 to see its whole output");
}
