// Why the embedded PostgreSQL did not start, in words a person can act on. scripts/server.ts prints the message
// alone (no stack): it says what happened and what to do.

const INSTEAD = "or set DATABASE_URL to a PostgreSQL you run (postgresql://user:password@host:5432/database)";

export class EmbeddedDatabaseError extends Error {
  override name = "EmbeddedDatabaseError";
}

/** "The embedded PostgreSQL could not start: <what>. <todo>, or set DATABASE_URL ..." */
export function embeddedDatabaseError(what: string, todo: string): EmbeddedDatabaseError {
  return new EmbeddedDatabaseError(`The embedded PostgreSQL could not start: ${what}. ${todo}, ${INSTEAD}.`);
}

/** A PostgreSQL program that could not be run at all (spawn failed: EACCES, ENOENT, ...). */
export function programNotRunnable(program: string, error: NodeJS.ErrnoException, runAsPostgresUser: boolean): EmbeddedDatabaseError {
  const code = error.code ?? error.message;
  if (code === "ENOENT") {
    return embeddedDatabaseError(`${program} is missing (${code})`, "Run npm install again, without --omit=optional");
  }
  if (runAsPostgresUser) {
    return embeddedDatabaseError(
      `the postgres user cannot run ${program} (${code})`,
      "Move the project to a folder every user can enter (such as /opt)",
    );
  }
  return embeddedDatabaseError(
    `${program} cannot be run (${code})`,
    "Run npm install again, on a disk that allows running programs (not mounted noexec)",
  );
}

/** A file-system failure while preparing the data folder, named after the path it hit. */
export function dataFolderNotWritable(dataDir: string, error: NodeJS.ErrnoException): EmbeddedDatabaseError {
  return embeddedDatabaseError(
    `${error.path ?? dataDir} cannot be written (${error.code ?? error.message})`,
    "Set PORTCULLIS_DATA_DIR to a folder you can write",
  );
}
