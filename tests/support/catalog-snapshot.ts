import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { canonicalJson } from "../../lib/policy/canonical-json";

// Catalog snapshots for tests: a copy of tests/fixtures/catalog/servers (real listings of real servers, made with the
// official SDK client) in a temporary folder, to change file by file.

export const FIXTURE_SNAPSHOT = path.resolve("tests/fixtures/catalog/servers");

export type ServerDocument = Record<string, unknown> & {
  name: string;
  _meta?: { "portcullis/listing"?: { tools: Record<string, unknown>[]; toolsSha256?: string; [key: string]: unknown } };
};

export function copyFixtureSnapshot(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "portcullis-catalog-"));
  cpSync(FIXTURE_SNAPSHOT, dir, { recursive: true });
  return dir;
}

export function readEntry(dir: string, file: string): ServerDocument {
  return JSON.parse(readFileSync(path.join(dir, file), "utf8")) as ServerDocument;
}

/** Writes an entry as the crawler would (its digest recomputed unless `keepDigest`). */
export function writeEntry(dir: string, file: string, document: ServerDocument, options: { keepDigest?: boolean } = {}): void {
  const listing = document._meta?.["portcullis/listing"];
  if (listing && !options.keepDigest) listing.toolsSha256 = createHash("sha256").update(canonicalJson(listing.tools)).digest("hex");
  writeFileSync(path.join(dir, file), `${JSON.stringify(document, null, 2)}\n`);
}

/** A listed server with these tools, in the snapshot's format. */
export function serverDocument(name: string, tools: Record<string, unknown>[], extra: Record<string, unknown> = {}): ServerDocument {
  return {
    name,
    title: name.split("/")[1],
    description: `Test server ${name}`,
    version: "1.0.0",
    packages: [{ registryType: "npm", identifier: `@test/${name.split("/")[1]}`, version: "1.0.0", transport: { type: "stdio" } }],
    ...extra,
    _meta: {
      "portcullis/listing": {
        tools,
        toolsSha256: createHash("sha256").update(canonicalJson(tools)).digest("hex"),
        listedAt: "2026-12-07T04:30:00.000Z",
        via: { transport: "stdio", package: `npm:@test/${name.split("/")[1]}@1.0.0`, node: "v20.20.2", isolation: "unshare -n" },
      },
    },
  };
}
