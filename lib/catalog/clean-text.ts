import { storableText } from "@/lib/json/storable-text";

// Text from catalog entries is shown to people and read by models. Control characters (U+0000 included) and
// characters people cannot see (zero-width, bidirectional overrides, Unicode tag characters, which can carry hidden
// instructions) are removed, and unpaired surrogates, which PostgreSQL cannot store, are replaced. Pure functions.

const CONTROL = "\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f";
const INVISIBLE = "\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff\\u{e0000}-\\u{e007f}";
const HIDDEN = new RegExp(`[${CONTROL}${INVISIBLE}]`, "gu");
const HIDDEN_OR_BREAK = new RegExp(`[${CONTROL}${INVISIBLE}\\t\\n]`, "u");

export interface CleanedText {
  text: string;
  /** Something was removed or replaced. */
  changed: boolean;
}

/** Prose (a description): line breaks and tabs stay, CRLF becomes LF, hidden and control characters go. */
export function cleanProse(input: string): CleanedText {
  const text = storableText(input.replace(HIDDEN, "")).replace(/\r\n?/g, "\n");
  return { text, changed: text !== input.replace(/\r\n?/g, "\n") };
}

/** One line (a title, a version): line breaks and tabs become spaces, hidden and control characters go. */
export function cleanLine(input: string): CleanedText {
  const flat = input.replace(/[\t\r\n]+/g, " ").trim();
  const text = storableText(flat.replace(HIDDEN, "")).trim();
  return { text, changed: text !== flat };
}

/** Whether a name holds anything but visible characters: such a name is refused, never silently changed. */
export function hasHiddenCharacters(name: string): boolean {
  return HIDDEN_OR_BREAK.test(name) || storableText(name) !== name;
}

/** At most `max` characters, never cutting a surrogate pair in half. */
export function clampText(text: string, max: number): CleanedText {
  if (text.length <= max) return { text, changed: false };
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), changed: true };
}
