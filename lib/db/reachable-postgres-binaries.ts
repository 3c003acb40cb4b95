import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { othersCanTraverse } from "../fs/others-can-traverse";
import { embeddedDatabaseError } from "./embedded-database-error";
import { binariesIn, type PostgresBinaries } from "./postgres-binaries";

/** Where root keeps what the postgres user must reach: clusters of private data folders, and PostgreSQL's programs. */
export const SHARED_STATE_DIR = "/var/lib/portcullis";

// A half-made copy older than this is a leftover of a start that died while copying.
const STALE_COPY_MS = 10 * 60_000;

/**
 * As root, PostgreSQL runs as the `postgres` user, which must reach its own programs. When the project sits in a
 * folder only root can enter (a `mktemp -d` folder, /root), the native folder is copied once per package version
 * to /var/lib/portcullis/pg-<version>-<platform>, readable by all, and used from there. The copy is made in a
 * temporary folder and renamed into place, so instances starting together never see half a copy.
 */
export function reachablePostgresBinaries(binaries: PostgresBinaries, notice: (line: string) => void): PostgresBinaries {
  if (process.getuid?.() !== 0 || othersCanRun(binaries)) return binaries;
  const target = path.join(SHARED_STATE_DIR, `pg-${binaries.version}-${process.platform}-${process.arch}`);
  if (!existsSync(path.join(target, path.relative(binaries.nativeDir, binaries.postgres)))) {
    try {
      copyOnce(binaries.nativeDir, target);
    } catch (error) {
      throw embeddedDatabaseError(
        `the postgres user cannot reach ${binaries.nativeDir}, and copying PostgreSQL's programs to ${target} failed (${(error as Error).message})`,
        "Move the project to a folder every user can enter (such as /opt)",
      );
    }
    notice(`the postgres user cannot reach ${binaries.nativeDir}; copied PostgreSQL's programs to ${target}`);
  }
  return binariesIn(binaries, target);
}

function copyOnce(nativeDir: string, target: string): void {
  mkdirSync(SHARED_STATE_DIR, { recursive: true, mode: 0o711 });
  removeStaleCopies(path.basename(target));
  const temporary = mkdtempSync(path.join(SHARED_STATE_DIR, `.${path.basename(target)}-`));
  try {
    cpSync(nativeDir, temporary, { recursive: true, verbatimSymlinks: true });
    openToOthers(temporary);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    // Another instance renamed its copy into place first: use that one.
    if (!existsSync(target)) throw error;
  }
}

function othersCanRun(binaries: PostgresBinaries): boolean {
  const runnable = (file: string) => (statSync(file).mode & 0o005) === 0o005;
  return othersCanTraverse(path.dirname(binaries.postgres)) && runnable(binaries.postgres) && runnable(binaries.initdb);
}

// Folders 0755, programs and libraries 0755, other files 0644, whatever the umask was when npm unpacked them.
function openToOthers(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) openToOthers(file);
    else if (entry.isFile()) chmodSync(file, lstatSync(file).mode & 0o111 ? 0o755 : 0o644);
  }
}

function removeStaleCopies(name: string): void {
  for (const entry of readdirSync(SHARED_STATE_DIR)) {
    const file = path.join(SHARED_STATE_DIR, entry);
    if (entry.startsWith(`.${name}-`) && Date.now() - statSync(file).mtimeMs > STALE_COPY_MS) rmSync(file, { recursive: true, force: true });
  }
}
