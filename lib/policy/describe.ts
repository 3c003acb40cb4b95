// Small wording helpers shared by the validator, the evaluator and the warnings, so messages read the same everywhere.
import { isPlainObject } from "@/lib/json/is-plain-object";

function clip(text: string, max = 60): string {
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

/** A value as it would be written in JSON, shortened: `"minutes"`, `10`, `null`, `an array`. */
export function showValue(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? "an empty array" : "an array";
  if (isPlainObject(value)) return "an object";
  if (value === undefined) return "nothing";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return clip(JSON.stringify(value) ?? String(value));
}

/** A value with its JSON type, for type mismatches: `the string "10"`, `the number 0`, `an array`. */
export function showTyped(value: unknown): string {
  if (typeof value === "string") return `the string ${showValue(value)}`;
  if (typeof value === "number") return `the number ${showValue(value)}`;
  if (typeof value === "boolean") return `the boolean ${value}`;
  return showValue(value);
}

export function listOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

export function listAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The closest known word to a probable typo, or undefined when none is close enough to be a useful hint. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(1, Math.floor(Math.max(word.length, best.length) / 3));
  return bestDistance <= allowed && bestDistance < best.length / 2 ? best : undefined;
}

export function plural(n: number, one: string, many = one + "s"): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Ends a person-written sentence with a full stop if it has no closing punctuation, so messages can follow it. */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…)"'`]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** JSON types in words, for messages about arguments: "a whole number". */
export const JSON_TYPE_WORDS: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  object: "an object",
  array: "an array",
  null: "null",
};
