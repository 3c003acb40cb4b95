// Tool name patterns: `*` stands for any run of characters (also none), `?` for exactly one; everything else is literal.
// Matching never uses regular expressions: tool names come from agents, and a backtracking regex built from a
// pattern such as `*a*a*a*b` can be made to run for minutes. The loop below is O(name × pattern) at worst.

/**
 * Longer tool names are refused without being matched, since a glob's cost grows with name × pattern. MCP asks for
 * names of at most 128 characters; this leaves room and keeps one name's matching to well under a millisecond.
 */
export const MAX_TOOL_NAME_LENGTH = 1_024;

const STAR = 42; // "*"
const QUESTION = 63; // "?"

export function isGlob(pattern: string): boolean {
  return pattern.includes("*") || pattern.includes("?");
}

/** True when `name` matches the glob `pattern` (case-sensitive, whole name). */
export function globMatch(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    const pc = pattern.charCodeAt(p);
    if (p < pattern.length && pc === STAR) {
      starP = p++;
      starN = n;
    } else if (p < pattern.length && (pc === QUESTION || pc === name.charCodeAt(n))) {
      p++;
      n++;
    } else if (starP >= 0) {
      // Let the last `*` swallow one more character and try again from there.
      p = starP + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) p++;
  return p === pattern.length;
}

export interface GlobSpecificity {
  literals: number;
  stars: number;
  questions: number;
}

export function globSpecificity(pattern: string): GlobSpecificity {
  let stars = 0;
  let questions = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === STAR) stars++;
    else if (c === QUESTION) questions++;
  }
  return { literals: pattern.length - stars - questions, stars, questions };
}

/**
 * Orders globs from most to least specific: more literal characters first; then fewer `*`; then more `?` (each
 * `?` demands a character); then plain code-unit order, so the order is total and the same everywhere.
 * Negative when `a` wins over `b`.
 */
export function compareGlobs(a: string, b: string): number {
  const sa = globSpecificity(a);
  const sb = globSpecificity(b);
  if (sa.literals !== sb.literals) return sb.literals - sa.literals;
  if (sa.stars !== sb.stars) return sa.stars - sb.stars;
  if (sa.questions !== sb.questions) return sb.questions - sa.questions;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The literal characters before the first wildcard and after the last one. */
export function globAffixes(pattern: string): { prefix: string; suffix: string } {
  const first = pattern.search(/[*?]/);
  if (first < 0) return { prefix: pattern, suffix: "" };
  let last = pattern.length - 1;
  while (last >= 0 && pattern[last] !== "*" && pattern[last] !== "?") last--;
  return { prefix: pattern.slice(0, first), suffix: pattern.slice(last + 1) };
}

/**
 * True when every name `specific` matches is also matched by `general` (a sound but incomplete test: when it says
 * true that is certain; a few equivalent spellings such as `*?` and `?*` are not recognised). Used to find rules that
 * can never apply, where a false alarm would be worse than a missed one.
 */
export function globCovers(general: string, specific: string): boolean {
  // Match `general` against `specific` read as a word over literals, `?` and `*`: a `*` of `general` may absorb any
  // tokens, its `?` any single literal or `?`, its literals only themselves.
  const g = general.length;
  const s = specific.length;
  let row = new Array<boolean>(s + 1).fill(false);
  row[0] = true;
  for (let j = 1; j <= s; j++) row[j] = false;
  for (let i = 1; i <= g; i++) {
    const gc = general.charCodeAt(i - 1);
    const next = new Array<boolean>(s + 1).fill(false);
    next[0] = gc === STAR && row[0] === true;
    for (let j = 1; j <= s; j++) {
      const sc = specific.charCodeAt(j - 1);
      if (gc === STAR) next[j] = row[j] === true || next[j - 1] === true;
      else if (gc === QUESTION) next[j] = sc !== STAR && row[j - 1] === true;
      else next[j] = sc === gc && row[j - 1] === true;
    }
    row = next;
  }
  return row[s] === true;
}
