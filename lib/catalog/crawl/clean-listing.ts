import { formatJsonPath, listUnstorable, storableText } from "@/lib/json/storable-text";

// What the catalog keeps of a server's tools/list: the tools as listed, sorted by name, after refusing listings
// too big to be honest and leaving out tools that cannot be named safely. Descriptions and schemas are kept as data,
// whatever they say (HTML, "ignore previous instructions"): pages escape them, nothing runs them. Every change is
// recorded as a note. Pure.

export const LISTING_LIMITS = {
  /** More tools than this from one server is refused (the same limit as a registered server). */
  maxTools: 5_000,
  /** The tools' JSON over this many bytes is refused (the same limit as a registered server). */
  maxBytes: 10 * 1024 * 1024,
  /** Deeper nesting than this in one tool's definition leaves the tool out. */
  maxDepth: 64,
  maxNameLength: 256,
  /** Notes kept per listing; the rest are counted. */
  maxNotes: 20,
} as const;

export type CleanedListing =
  | { ok: true; tools: Record<string, unknown>[]; notes: string[] }
  | { ok: false; reason: string };

// C0 and C1 control characters and DEL: invisible in a page and in a policy rule, so such a name cannot be trusted.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Format characters (zero-width spaces, joiners, bidirectional controls) make two names look alike.
const INVISIBLE = /\p{Cf}/u;

export function cleanListing(listed: readonly unknown[]): CleanedListing {
  if (listed.length > LISTING_LIMITS.maxTools) {
    return { ok: false, reason: `The server listed ${listed.length.toLocaleString("en")} tools, more than the ${LISTING_LIMITS.maxTools.toLocaleString("en")} the catalog takes from one server.` };
  }
  const notes: string[] = [];
  const kept = new Map<string, Record<string, unknown>>();
  let bytes = 0;
  listed.forEach((tool, index) => {
    const problem = toolProblem(tool, index);
    if (problem) return void notes.push(problem);
    const definition = tool as Record<string, unknown> & { name: string };
    bytes += Buffer.byteLength(JSON.stringify(definition), "utf8");
    if (kept.has(definition.name)) {
      return void notes.push(`Tool ${quote(definition.name)} is listed more than once: the first definition is kept.`);
    }
    const places = listUnstorable(definition, { max: 1 });
    if (places.length > 0) {
      notes.push(`Tool ${quote(definition.name)}: text that cannot be stored (U+0000 or an unpaired surrogate) at ${formatJsonPath(places[0]!.path)} and wherever else it occurs was replaced with U+FFFD.`);
      kept.set(definition.name, storableCopy(definition) as Record<string, unknown>);
    } else {
      kept.set(definition.name, definition);
    }
  });
  if (bytes > LISTING_LIMITS.maxBytes) {
    return { ok: false, reason: `The server's tools add up to ${(bytes / 1024 / 1024).toFixed(1)} MB of JSON, more than the ${LISTING_LIMITS.maxBytes / 1024 / 1024} MB the catalog takes from one server.` };
  }
  const tools = [...kept.values()].sort((a, b) => compareCodeUnits(a.name as string, b.name as string));
  return { ok: true, tools, notes: clampNotes(notes) };
}

/** Why the tool at `index` is left out, or null when it can be kept. */
function toolProblem(tool: unknown, index: number): string | null {
  if (typeof tool !== "object" || tool === null || Array.isArray(tool)) return `Tool #${index + 1} is not an object: left out.`;
  const name = (tool as { name?: unknown }).name;
  if (typeof name !== "string" || name.length === 0) return `Tool #${index + 1} has no name: left out.`;
  if (CONTROL.test(name)) return `Tool #${index + 1}'s name ${quote(name)} holds control characters: left out.`;
  if (!name.isWellFormed()) return `Tool #${index + 1}'s name ${quote(name)} is not valid Unicode: left out.`;
  if (INVISIBLE.test(name)) return `Tool #${index + 1}'s name ${quote(name)} holds invisible characters: left out.`;
  if (name.trim() !== name) return `Tool #${index + 1}'s name ${quote(name)} starts or ends with spaces: left out.`;
  if (name.length > LISTING_LIMITS.maxNameLength) return `Tool #${index + 1}'s name is ${name.length} characters long, more than ${LISTING_LIMITS.maxNameLength}: left out.`;
  const schema = (tool as { inputSchema?: unknown }).inputSchema;
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return `Tool ${quote(name)} has no input schema object: left out.`;
  if (depthOver(tool, LISTING_LIMITS.maxDepth)) return `Tool ${quote(name)}'s definition is nested more than ${LISTING_LIMITS.maxDepth} levels deep: left out.`;
  return null;
}

/** Whether `value` nests deeper than `max` (walked with a stack, so a hostile depth cannot exhaust ours). */
function depthOver(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

function storableCopy(value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(storableCopy);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    Object.defineProperty(out, storableText(key), { value: storableCopy(child), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A name as JSON (control characters escaped), clamped: notes are read by people and stored as text. */
function quote(name: string): string {
  const clamped = name.length > 80 ? `${name.slice(0, 80)}…` : name;
  return JSON.stringify(storableText(clamped));
}

function clampNotes(notes: string[]): string[] {
  if (notes.length <= LISTING_LIMITS.maxNotes) return notes;
  return [...notes.slice(0, LISTING_LIMITS.maxNotes), `…and ${notes.length - LISTING_LIMITS.maxNotes} more.`];
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
