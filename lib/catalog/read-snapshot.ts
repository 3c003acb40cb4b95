import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { MAX_LISTING_BYTES } from "@/lib/catalog/limits";

// The committed snapshot, catalog/servers/*.json, read and fingerprinted. The digest covers every file's name and
// bytes, and the loader's own version (so a change to what loading keeps reloads an unchanged snapshot too).
// Reading and hashing is all a start with an already loaded snapshot does.

/** Bump when loading would store something different from the same files. */
export const SNAPSHOT_LOADER_VERSION = 1;

export interface SnapshotFile {
  file: string;
  /** Null when the file is over the size limit (it is refused unread). */
  content: Buffer | null;
  size: number;
}

export interface Snapshot {
  dir: string;
  digest: string;
  files: SnapshotFile[];
}

export function defaultSnapshotDir(): string {
  return path.resolve(process.cwd(), "catalog", "servers");
}

/** Null when there is no snapshot folder. */
export async function readSnapshot(dir = defaultSnapshotDir()): Promise<Snapshot | null> {
  if (!existsSync(dir)) return null;
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => entry.name)
    .sort();
  const hash = createHash("sha256").update(`portcullis catalog snapshot v${SNAPSHOT_LOADER_VERSION}\n`);
  const files: SnapshotFile[] = [];
  for (const file of names) {
    const full = path.join(dir, file);
    const { size } = await stat(full);
    const content = size > MAX_LISTING_BYTES ? null : await readFile(full);
    const fileDigest = content ? createHash("sha256").update(content).digest("hex") : "unread";
    hash.update(`${file}\0${size}\0${fileDigest}\n`);
    files.push({ file, content, size });
  }
  return { dir, digest: hash.digest("hex"), files };
}
