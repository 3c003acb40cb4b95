import { checkServerEntry, type CheckedServer } from "@/lib/catalog/check-server-entry";
import type { CatalogIssue } from "@/lib/catalog/issues";
import { MAX_LISTING_BYTES } from "@/lib/catalog/limits";
import type { SnapshotFile } from "@/lib/catalog/read-snapshot";
import { yieldToEventLoop } from "@/lib/catalog/yield-to-event-loop";

// The snapshot's files as catalog entries: each file parsed and checked on its own, so one bad file is refused with
// its reason and never stops the others (giving way to the event loop between files: yield-to-event-loop.ts).

export interface FileIssue extends CatalogIssue {
  file: string;
}

export interface ParsedSnapshot {
  servers: CheckedServer[];
  /** Files not loaded at all, with the reason. */
  refused: { file: string; reason: string }[];
  /** What was cleaned in the files that were loaded. */
  issues: FileIssue[];
}

/** The file name the format gives a server: its name with "/" as "__". */
export function snapshotFileName(serverName: string): string {
  return `${serverName.replaceAll("/", "__")}.json`;
}

export async function parseSnapshot(files: readonly SnapshotFile[]): Promise<ParsedSnapshot> {
  const result: ParsedSnapshot = { servers: [], refused: [], issues: [] };
  const byName = new Map<string, string>();
  for (const { file, content, size } of files) {
    await yieldToEventLoop();
    if (!content) {
      const mb = (size / 1024 / 1024).toFixed(1);
      result.refused.push({ file, reason: `The file is ${mb} MB; a listing may be at most ${MAX_LISTING_BYTES / 1024 / 1024} MB.` });
      continue;
    }
    let document: unknown;
    try {
      document = JSON.parse(content.toString("utf8"));
    } catch (error) {
      result.refused.push({ file, reason: `The file is not valid JSON: ${(error as Error).message.slice(0, 200)}` });
      continue;
    }
    const checked = checkServerEntry(document, { listing: "read" });
    if (!checked.ok) {
      result.refused.push({ file, reason: checked.reason });
      continue;
    }
    const server = checked.server;
    const earlier = byName.get(server.name);
    if (earlier) {
      result.refused.push({ file, reason: `${earlier} already holds the server ${server.name}.` });
      continue;
    }
    byName.set(server.name, file);
    if (file !== snapshotFileName(server.name)) {
      result.issues.push({ file, path: "name", reason: `The file of ${server.name} should be named ${snapshotFileName(server.name)}.` });
    }
    for (const issue of server.issues) result.issues.push({ file, ...issue });
    result.servers.push(server);
  }
  return result;
}
