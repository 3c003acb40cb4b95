// Turns tool names and prose into lowercase words, so the vocabularies match however a server spells its names.

const ASCII = /^[\x00-\x7f]*$/;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;

function kindOf(code: number): number {
  if (code >= 97 && code <= 122) return LOWER;
  if (code >= 65 && code <= 90) return UPPER;
  if (code >= 48 && code <= 57) return DIGIT;
  return 0;
}

/**
 * Splits an identifier into words: snake_case, kebab-case, dotted and slashed names, camelCase and PascalCase
 * (acronyms kept whole: `getHTTPStatus` gives get, http, status), and letters from digits (`ec2` gives ec, 2).
 */
export function tokenizeName(name: string): string[] {
  if (!ASCII.test(name)) return tokenizeUnicodeName(name);
  // One pass over the characters: names are classified by the thousand, so this avoids a chain of regexes.
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= name.length; i++) {
    const kind = i < name.length ? kindOf(name.charCodeAt(i)) : 0;
    if (start === -1) {
      if (kind !== 0) start = i;
      continue;
    }
    const previous = kindOf(name.charCodeAt(i - 1));
    const next = i + 1 < name.length ? kindOf(name.charCodeAt(i + 1)) : 0;
    const boundary =
      kind === 0 ||
      (kind === UPPER && previous === LOWER) ||
      (kind === UPPER && previous === UPPER && next === LOWER) ||
      (kind === DIGIT) !== (previous === DIGIT);
    if (boundary) {
      words.push(name.slice(start, i).toLowerCase());
      start = kind === 0 ? -1 : i;
    }
  }
  return words;
}

function tokenizeUnicodeName(name: string): string[] {
  return name
    .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2")
    .replace(/(\p{L})(\p{N})/gu, "$1 $2")
    .replace(/(\p{N})(\p{L})/gu, "$1 $2")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** Splits prose into lowercase words. Unlike names, prose keeps `JavaScript` or `PostgreSQL` whole. */
export function tokenizeText(text: string): string[] {
  const lower = text.toLowerCase();
  const parts = ASCII.test(lower) ? lower.split(/[^a-z0-9]+/) : lower.split(/[^\p{L}\p{N}]+/u);
  return parts.filter((word) => word.length > 0);
}

/**
 * What stands between each of the first `limit` words of prose and the one before it (`", "` in "get, create"), so a
 * rule can tell a list of verbs from a verb followed by a noun ("view commit history"). `gaps[i]` comes before
 * `tokenizeText(text)[i]`. Only the opening words are read: a description can be long, and rules look at its start.
 */
export function proseGaps(text: string, limit: number): string[] {
  const lower = text.toLowerCase();
  const word = ASCII.test(lower) ? /[a-z0-9]+/g : /[\p{L}\p{N}]+/gu;
  const gaps: string[] = [];
  let end = 0;
  for (const found of lower.matchAll(word)) {
    if (gaps.length === limit) break;
    gaps.push(lower.slice(end, found.index));
    end = found.index + found[0].length;
  }
  return gaps;
}

/**
 * The word itself, then the forms it may be an inflection of (`deletes`, `searches`, `queries`, `roles`,
 * `creating`, `running`), so tables only list base forms. Callers take the first form their table knows.
 */
export function wordForms(word: string): string[] {
  const forms = [word];
  if (word.length > 4 && word.endsWith("ies")) forms.push(`${word.slice(0, -3)}y`);
  if (word.length > 3 && word.endsWith("es")) forms.push(word.slice(0, -2));
  if (word.length > 2 && word.endsWith("s") && !word.endsWith("ss")) forms.push(word.slice(0, -1));
  if (word.length > 5 && word.endsWith("ing")) {
    const stem = word.slice(0, -3);
    forms.push(stem, `${stem}e`);
    if (stem.at(-1) === stem.at(-2)) forms.push(stem.slice(0, -1));
  }
  return forms;
}

/** Looks a word up in a table, trying its inflected forms; returns the entry and the form that matched. */
export function lookUp<T>(table: ReadonlyMap<string, T>, word: string): { entry: T; form: string } | undefined {
  for (const form of wordForms(word)) {
    const entry = table.get(form);
    if (entry !== undefined) return { entry, form };
  }
  return undefined;
}

/** True when `words` holds `phrase` as consecutive words. */
export function hasPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  const first = phrase[0];
  if (first === undefined) return false;
  for (let i = words.indexOf(first); i !== -1; i = words.indexOf(first, i + 1)) {
    if (phrase.every((word, offset) => words[i + offset] === word)) return true;
  }
  return false;
}
