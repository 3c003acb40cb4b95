// How much pattern matching one decision may do. RE2 is linear in the input, but its cost per character grows with
// the pattern's size (up to about 50 ns per instruction per character when its DFA cannot help), so values are
// bounded in length and a call in (length + 1) × size "steps": about 50 ms at worst on a 2-core machine.

/** The longest string a pattern is run on, in UTF-16 code units; longer values are refused unchecked. */
export const MAX_PATTERN_VALUE_LENGTH = 65_536;
/** Steps one call may spend on patterns: a 64 KiB value against a pattern of size 16, or 1 KiB against 1,000. */
export const CALL_PATTERN_STEPS = 1_048_576;
/** Steps a policy's examples may spend together when it is checked or saved (each also within one call's). */
export const EXAMPLES_PATTERN_STEPS = 2_097_152;
/** Instructions all distinct patterns of one policy may compile to together, so checking a policy stays quick. */
export const MAX_POLICY_PATTERN_SIZE = 20_000;

/** Steps several calls share (a policy's examples), on top of each call's own CALL_PATTERN_STEPS. */
export interface PatternBudget {
  /** Steps left. */
  remaining: number;
  /** Who shares it, in words: "this policy's examples together". */
  readonly owner: string;
  readonly limit: number;
  /** Set when a check was refused because this budget ran out. */
  overrun: boolean;
}

export function patternBudget(limit: number, owner: string): PatternBudget {
  return { remaining: limit, owner, limit, overrun: false };
}
