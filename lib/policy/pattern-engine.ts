// Every `pattern` of a policy runs on RE2 (the pure-JavaScript port re2js), whose matching time grows linearly with
// the input whatever the pattern: a backtracking engine can be made to run for minutes by one crafted pattern and
// argument, stalling every tenant of the instance. Compiled patterns are shared through a small bounded cache.
import { RE2JS } from "re2js";
import { toRe2Syntax } from "@/lib/policy/pattern-syntax";

/** The most RE2 instructions one pattern may compile to (`a{1000}` is about 1,000). */
export const MAX_PATTERN_SIZE = 1_000;
/** The longest pattern text compiled at all: compiling takes about 20 ms at this length, 400 ms at 512 KiB. */
export const MAX_PATTERN_TEXT_LENGTH = 4_096;

export interface PolicyPattern {
  /** The pattern as written in the policy (ECMAScript syntax). */
  readonly source: string;
  /** Instructions of its RE2 program: what matching one character costs at worst. */
  readonly size: number;
  /** True when the pattern matches somewhere in `value` (not anchored, like JSON Schema's `pattern`). */
  test(value: string): boolean;
}

export type PatternCompilation =
  | { ok: true; pattern: PolicyPattern }
  /** `syntax`: not an ECMAScript regular expression at all; `unsupported`: one the linear-time engine cannot run. */
  | { ok: false; kind: "syntax" | "unsupported"; problem: string };

const CACHE_SIZE = 512;
/**
 * Memory for each pattern's lazily built DFA (re2js allows 8 MB). Building a DFA state costs far more than an NFA
 * step, so a pattern whose states keep multiplying should fall back to the NFA early: with 8 MB, `^[ab]*a[ab]{60}$`
 * on 10,000 characters took 270 ms, with 64 KiB 19 ms. It also bounds what the cache of compiled patterns can hold.
 */
export const DFA_MEMORY_BYTES = 64 * 1024;

const cache = new Map<string, PatternCompilation>();

const count = (n: number) => n.toLocaleString("en-US");

function compileUncached(source: string): PatternCompilation {
  if (source.length > MAX_PATTERN_TEXT_LENGTH) {
    return {
      ok: false,
      kind: "unsupported",
      problem: `is ${count(source.length)} characters long, and a pattern may have at most ${count(MAX_PATTERN_TEXT_LENGTH)}: for a list of allowed values use \`enum\`.`,
    };
  }
  try {
    // Only parsed, never run: it keeps patterns valid JSON Schema, which the gateway shows agents in tool schemas.
    new RegExp(source, "u");
  } catch (error) {
    return { ok: false, kind: "syntax", problem: `is not a valid regular expression: ${(error as Error).message}.` };
  }
  const translation = toRe2Syntax(source);
  if (!translation.ok) return { ok: false, kind: "unsupported", problem: translation.problem };
  let re: RE2JS;
  try {
    re = RE2JS.compile(translation.text);
  } catch (error) {
    const reason = (error as Error).message.replace(/^error parsing regexp: /, "");
    return {
      ok: false,
      kind: "unsupported",
      problem: `cannot be run by the linear-time regular expression engine (RE2): ${reason}. RE2 has no backreferences or lookaround, repeats at most 1,000 times, and knows Unicode classes by their short names such as \`\\p{L}\`.`,
    };
  }
  const size = re.programSize();
  if (size > MAX_PATTERN_SIZE) {
    return {
      ok: false,
      kind: "unsupported",
      problem: `is too large: it compiles to ${count(size)} instructions and a pattern may have at most ${count(MAX_PATTERN_SIZE)}. Each \`{n}\` repeats what it follows n times; check lengths with \`maxLength\` instead.`,
    };
  }
  const dfa = re.re2().dfa;
  dfa.stateBudget = DFA_MEMORY_BYTES;
  dfa.memBudget = DFA_MEMORY_BYTES;
  return { ok: true, pattern: { source, size, test: (value) => re.test(value) } };
}

/** Compiles a policy pattern for the linear-time engine (or reuses it), or says in a sentence why it cannot. */
export function compilePattern(source: string): PatternCompilation {
  // Oldest first out: reordering on every use would cost more than the rare recompilation it saves.
  const known = cache.get(source);
  if (known) return known;
  const compiled = compileUncached(source);
  if (cache.size >= CACHE_SIZE) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(source, compiled);
  return compiled;
}

/** Thrown when a check meets a pattern that cannot run, so the call is refused (fail closed) with the reason. */
export class PatternUnavailableError extends Error {}

/**
 * The regular expression engine ajv is given, so JSON Schema `pattern` keywords run on RE2 as well. It keeps only
 * the source and looks the compiled pattern up on each use, so validators held in caches never pin DFA memory.
 */
export const policyRegExp = Object.assign(
  (source: string) => {
    const first = compilePattern(source);
    if (!first.ok) throw new PatternUnavailableError(`The pattern \`${source}\` ${first.problem}`);
    return {
      test(value: string): boolean {
        const compiled = compilePattern(source);
        if (!compiled.ok) throw new PatternUnavailableError(`The pattern \`${source}\` ${compiled.problem}`);
        return compiled.pattern.test(value);
      },
      toString: () => source,
    };
  },
  { code: "policyRegExp" },
);
