// Copies the tool definitions the labelled risk set is about out of the catalog snapshot into risk-set/definitions,
// so the set stays the same when the catalog is crawled again. Run once per server added to the set; existing files
// are kept unless --force is given. Up to SAMPLE_PER_SERVER tools per server, evenly spread over its sorted names, so
// no one large server (353 DigitalOcean tools) outweighs the rest.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { definitionHash, type ToolDefinition } from "@/lib/servers/tool-definition";

const SAMPLE_PER_SERVER = 30;
const root = path.resolve(import.meta.dirname, "..");
const catalogDir = path.join(root, "catalog", "servers");
const outDir = path.join(root, "risk-set", "definitions");
const force = process.argv.includes("--force");

/** Evenly spaced picks: 30 of 353 sorted names takes every 11.77th, starting at the first. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, index) => items[Math.floor((index * items.length) / count)]!);
}

mkdirSync(outDir, { recursive: true });
let written = 0;
let tools = 0;
for (const file of readdirSync(catalogDir).filter((name) => name.endsWith(".json")).sort()) {
  const target = path.join(outDir, file);
  const entry = JSON.parse(readFileSync(path.join(catalogDir, file), "utf8"));
  const listing = entry._meta?.["portcullis/listing"];
  if (!listing?.tools?.length) continue;
  const all = [...(listing.tools as ToolDefinition[])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const sample = spread(all, SAMPLE_PER_SERVER);
  tools += sample.length;
  if (existsSync(target) && !force) continue;
  const pkg = entry.packages?.[0];
  const document = {
    server: {
      name: entry.name,
      title: entry.title ?? null,
      description: entry.description ?? null,
      version: entry.version ?? null,
      repository: entry.repository?.url ?? null,
      package: pkg ? `${pkg.registryType}:${pkg.identifier}@${pkg.version}` : null,
      listedAt: listing.listedAt,
      via: listing.via,
      catalogFile: path.relative(root, path.join(catalogDir, file)),
      toolsSha256: listing.toolsSha256,
    },
    /** Every tool name the server lists: the classifier judges a tool with its siblings in view. */
    siblingToolNames: all.map((tool) => tool.name),
    sample: { of: all.length, taken: sample.length, rule: `up to ${SAMPLE_PER_SERVER}, evenly spread over the sorted names` },
    tools: sample.map((tool) => ({ sha256: definitionHash(tool), definition: tool })),
  };
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  written++;
}
console.log(`risk set: ${tools} tool definitions from ${readdirSync(outDir).length} servers (${written} files written)`);

// The split into a tuning half and a held-out half, made once, by server, before any label was scored: servers in the
// order of their names' SHA-256, each to whichever half has fewer tools so far. Once written, no server moves: servers
// frozen later (in neither half) are added by the same rule, continuing from the totals recorded, and the extension is
// recorded with its date. Run this before labelling the new servers, so none is placed knowing how it scores.
const splitFile = path.join(root, "risk-set", "split.json");
const frozen = readdirSync(outDir)
  .filter((name) => name.endsWith(".json"))
  .map((file) => JSON.parse(readFileSync(path.join(outDir, file), "utf8")) as { server: { name: string }; tools: unknown[] })
  .map((doc) => ({ name: doc.server.name, tools: doc.tools.length, order: createHash("sha256").update(doc.server.name).digest("hex") }))
  .sort((a, b) => (a.order < b.order ? -1 : 1));

interface SplitDocument {
  rule: string;
  made: string;
  extended?: string | string[];
  tools: { tune: number; holdout: number };
  tune: string[];
  holdout: string[];
}

/** Places each server, in order, in the half with fewer tools so far (the tuning half on a tie). */
function place(servers: typeof frozen, halves: { tune: string[]; holdout: string[] }, counts: { tune: number; holdout: number }): void {
  for (const server of servers) {
    const half = counts.tune <= counts.holdout ? "tune" : "holdout";
    halves[half].push(server.name);
    counts[half] += server.tools;
  }
}

const today = new Date().toISOString().slice(0, 10);
if (!existsSync(splitFile)) {
  const halves = { tune: [] as string[], holdout: [] as string[] };
  const counts = { tune: 0, holdout: 0 };
  place(frozen, halves, counts);
  const document: SplitDocument = {
    rule: "by server, in the order of the SHA-256 of each server's name, each to the half with fewer tools so far; made once before scoring",
    made: today,
    tools: counts,
    tune: halves.tune.sort(),
    holdout: halves.holdout.sort(),
  };
  writeFileSync(splitFile, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`split: ${halves.tune.length} servers (${counts.tune} tools) to tune, ${halves.holdout.length} (${counts.holdout} tools) held out`);
} else {
  const split = JSON.parse(readFileSync(splitFile, "utf8")) as SplitDocument;
  const placed = new Set([...split.tune, ...split.holdout]);
  const added = frozen.filter((server) => !placed.has(server.name));
  if (added.length > 0) {
    const from = { ...split.tools };
    const halves = { tune: [...split.tune], holdout: [...split.holdout] };
    const counts = { ...split.tools };
    place(added, halves, counts);
    const note =
      `${today}: ${added.length} servers newly frozen were added by the same rule, continuing from ` +
      `${from.tune}/${from.holdout} tools, before any of them was labelled or scored; no server moved`;
    const extended = split.extended === undefined ? [] : Array.isArray(split.extended) ? split.extended : [split.extended];
    const document: SplitDocument = { ...split, extended: [...extended, note], tools: counts, tune: halves.tune.sort(), holdout: halves.holdout.sort() };
    writeFileSync(splitFile, `${JSON.stringify(document, null, 2)}\n`);
    const toTune = added.filter((server) => halves.tune.includes(server.name)).length;
    console.log(`split extended: ${toTune} new servers to tune, ${added.length - toTune} held out (now ${counts.tune}/${counts.holdout} tools)`);
  }
}
