// Turns a validated document into the structure evaluation runs on: compiled once per policy version, then shared.
// Exact names are a Map lookup; globs are indexed by their literal parts, so a call only tests the few globs that
// could match its name; and the rule found for each tool name is memoised.
import { compileArgsCheck, type ArgsCheck } from "@/lib/policy/args";
import { asSentence } from "@/lib/policy/describe";
import { compareGlobs, globAffixes, globMatch, isGlob } from "@/lib/policy/glob";
import type { PatternBudget } from "@/lib/policy/pattern-budget";
import {
  DEFAULT_APPROVAL_TIMEOUT_SECONDS,
  type ArgConstraint,
  type ArgumentViolation,
  type DefaultAction,
  type LimitScope,
  type LimitWindow,
  type PolicyDecision,
  type PolicyDocument,
  type RuleAction,
} from "@/lib/policy/types";

export const WINDOW_MS: Record<LimitWindow, number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

export interface CompiledLimit {
  readonly counter: string;
  readonly window: LimitWindow;
  readonly windowMs: number;
  readonly max: number;
  readonly scope: LimitScope;
}

export interface CompiledRule {
  readonly pattern: string;
  readonly isGlob: boolean;
  /** Position in precedence order across the whole policy: lower wins. */
  readonly rank: number;
  readonly action: RuleAction;
  readonly reason: string | undefined;
  readonly limits: readonly CompiledLimit[];
  readonly args: Readonly<Record<string, ArgConstraint>> | undefined;
  readonly approvalTimeoutSeconds: number;
  /**
   * Violations of the rule's argument constraints, or null when there are none (or no constraints). Pattern work is
   * limited per call and also charged to `budget` when given; throws PatternUnavailableError for a pattern that cannot run.
   */
  checkArgs(args: unknown, budget?: PatternBudget): ArgumentViolation[] | null;
  /** Decisions that never vary between calls, built once. */
  readonly fixed: { readonly denied?: PolicyDecision; readonly allowed?: PolicyDecision; readonly held?: PolicyDecision };
}

export interface CompiledPolicy {
  readonly document: PolicyDocument;
  readonly defaultAction: DefaultAction;
  /** Every rule, in precedence order (exact names first, then globs from most to least specific). */
  readonly rules: readonly CompiledRule[];
  readonly defaultDecision: PolicyDecision;
  /** The rule that applies to a tool name, or null when none does and the default decides. */
  match(tool: string): CompiledRule | null;
}

export interface CompileOptions {
  /** Tool names whose matching rule is remembered (0 turns the memo off). */
  cacheSize?: number;
  /** Compile argument validators now rather than on a rule's first call (slower compile, steadier first calls). */
  eagerValidators?: boolean;
}

const DEFAULT_CACHE_SIZE = 10_000;
export const NONE: readonly never[] = Object.freeze([]);
/** Longer names are matched every time rather than memoised, so odd callers cannot fill memory. */
const MAX_CACHED_NAME = 256;

interface IndexedGlob {
  readonly rule: CompiledRule;
  readonly rank: number;
  readonly pattern: string;
  /** True when reaching the glob's index node already proves the match (`get_*`, `*_admin`, `*`). */
  readonly certain: boolean;
}

class TrieNode {
  readonly children = new Map<number, TrieNode>();
  readonly globs: IndexedGlob[] = [];
}

/** The node for `text` (read backwards for suffixes), created as needed. */
function trieNode(root: TrieNode, text: string, reverse: boolean): TrieNode {
  let node = root;
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(reverse ? text.length - 1 - k : k);
    let child = node.children.get(code);
    if (!child) {
      child = new TrieNode();
      node.children.set(code, child);
    }
    node = child;
  }
  return node;
}

/** The first glob of a rank-sorted list that matches, if it ranks before `best`. */
function firstMatch(globs: readonly IndexedGlob[], name: string, best: IndexedGlob | null): IndexedGlob | null {
  for (let k = 0; k < globs.length; k++) {
    const glob = globs[k]!;
    if (best !== null && glob.rank >= best.rank) return best;
    if (glob.certain || globMatch(glob.pattern, name)) return glob;
  }
  return best;
}

const bigram = (text: string, at: number) => (text.charCodeAt(at) << 16) | text.charCodeAt(at + 1);

/** The longest run of literal characters in a glob (`_admin_` in `*_admin_*`). */
function longestLiteral(pattern: string): string {
  return pattern.split(/[*?]/).reduce((a, b) => (b.length > a.length ? b : a), "");
}

/**
 * Each glob is filed once: under its literal prefix (`get_*`), else its literal suffix (`*_admin`), else the first
 * two characters of its longest literal run (`*_admin_*`, which only names containing "_a" can match); what is left
 * (`*`, `?*`) is tried on every name.
 */
class GlobIndex {
  private readonly byPrefix = new TrieNode();
  private readonly bySuffix = new TrieNode();
  private readonly byBigram = new Map<number, IndexedGlob[]>();
  private readonly rest: IndexedGlob[] = [];

  add(rule: CompiledRule): void {
    const { prefix, suffix } = globAffixes(rule.pattern);
    const middle = rule.pattern.slice(prefix.length, rule.pattern.length - suffix.length);
    const onlyStars = /^\*+$/.test(middle);
    const entry = (certain: boolean): IndexedGlob => ({ rule, rank: rule.rank, pattern: rule.pattern, certain });
    const anchor = longestLiteral(rule.pattern);
    if (prefix !== "") trieNode(this.byPrefix, prefix, false).globs.push(entry(onlyStars && suffix === ""));
    else if (suffix !== "") trieNode(this.bySuffix, suffix, true).globs.push(entry(onlyStars));
    else if (anchor.length >= 2) {
      const key = bigram(anchor, 0);
      const list = this.byBigram.get(key);
      if (list) list.push(entry(false));
      else this.byBigram.set(key, [entry(false)]);
    } else this.rest.push(entry(onlyStars));
  }

  match(name: string): CompiledRule | null {
    let best: IndexedGlob | null = null;
    let node: TrieNode | undefined = this.byPrefix;
    for (let k = 0; k < name.length && node; k++) {
      node = node.children.get(name.charCodeAt(k));
      if (node && node.globs.length > 0) best = firstMatch(node.globs, name, best);
    }
    node = this.bySuffix;
    for (let k = name.length - 1; k >= 0 && node; k--) {
      node = node.children.get(name.charCodeAt(k));
      if (node && node.globs.length > 0) best = firstMatch(node.globs, name, best);
    }
    if (this.byBigram.size > 0) {
      // Each list is tried once per name: a name repeating a glob's bigram must not test that glob at every place.
      const tried = new Set<number>();
      for (let k = 0; k + 1 < name.length; k++) {
        const key = bigram(name, k);
        if (tried.has(key)) continue;
        tried.add(key);
        const list = this.byBigram.get(key);
        if (list) best = firstMatch(list, name, best);
      }
    }
    best = firstMatch(this.rest, name, best);
    return best ? best.rule : null;
  }
}

export function quoted(pattern: string, isGlobPattern: boolean): string {
  return isGlobPattern ? `tools matching \`${pattern}\`` : `\`${pattern}\``;
}

export function approvalReason(pattern: string, isGlobPattern: boolean, reason: string | undefined, timeoutSeconds: number): string {
  const why = reason ? ` ${asSentence(reason)}` : "";
  return `This call needs a person's approval under the policy rule for ${quoted(pattern, isGlobPattern)}.${why} It is held for up to ${timeoutSeconds} seconds while someone decides.`;
}

export function compilePolicy(document: PolicyDocument, options: CompileOptions = {}): CompiledPolicy {
  const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  const entries = Object.entries(document.tools);
  const exactPatterns = entries.filter(([p]) => !isGlob(p)).map(([p]) => p).sort();
  const globPatterns = entries.filter(([p]) => isGlob(p)).map(([p]) => p).sort(compareGlobs);
  const source = new Map(entries);

  const rules: CompiledRule[] = [...exactPatterns, ...globPatterns].map((pattern, rank) => {
    const rule = source.get(pattern)!;
    const glob = isGlob(pattern);
    const action = rule.action ?? "allow";
    const args = rule.args && Object.keys(rule.args).length > 0 ? rule.args : undefined;
    let check: ArgsCheck | null = null;
    const checkArgs = args
      ? (value: unknown, budget?: PatternBudget) => {
          check ??= compileArgsCheck(args);
          return check(value, budget);
        }
      : () => null;
    if (args && options.eagerValidators) check = compileArgsCheck(args);
    // Counters are checked and reported in name order: the order limits are written in means nothing.
    const limits = (rule.limits ?? [])
      .map((l) => ({ counter: l.counter, window: l.window, windowMs: WINDOW_MS[l.window], max: l.max, scope: l.scope }))
      .sort((a, b) => (a.counter < b.counter ? -1 : a.counter > b.counter ? 1 : 0));
    const fixed: { denied?: PolicyDecision; allowed?: PolicyDecision; held?: PolicyDecision } = {};
    const approvalTimeoutSeconds = rule.approval_timeout_seconds ?? DEFAULT_APPROVAL_TIMEOUT_SECONDS;
    if (action === "deny") {
      fixed.denied = Object.freeze({
        decision: "deny",
        code: "denied_by_rule",
        matchedRule: pattern,
        reason: `Denied by the policy rule for ${quoted(pattern, glob)}: ${rule.reason ? asSentence(rule.reason) : "this tool may not be used."} Do not retry this call.`,
        counters: NONE,
        increment: NONE,
      } satisfies PolicyDecision);
    } else if (action === "allow" && limits.length === 0) {
      fixed.allowed = Object.freeze({
        decision: "allow",
        code: "allowed",
        matchedRule: pattern,
        reason: `Allowed by the policy rule for ${quoted(pattern, glob)}.`,
        counters: NONE,
        increment: NONE,
      } satisfies PolicyDecision);
    } else if (action === "require_approval" && limits.length === 0) {
      fixed.held = Object.freeze({
        decision: "require_approval",
        code: "approval_required",
        matchedRule: pattern,
        reason: approvalReason(pattern, glob, rule.reason, approvalTimeoutSeconds),
        counters: NONE,
        increment: NONE,
        approvalTimeoutSeconds,
      } satisfies PolicyDecision);
    }
    return {
      pattern,
      isGlob: glob,
      rank,
      action,
      reason: rule.reason,
      limits,
      args,
      approvalTimeoutSeconds,
      checkArgs,
      fixed,
    };
  });

  const exact = new Map<string, CompiledRule>();
  const globs = new GlobIndex();
  for (const rule of rules) {
    if (rule.isGlob) globs.add(rule);
    else exact.set(rule.pattern, rule);
  }

  const cache = new Map<string, CompiledRule | null>();
  const match = (tool: string): CompiledRule | null => {
    const cached = cache.get(tool);
    if (cached !== undefined) return cached;
    const rule = exact.get(tool) ?? globs.match(tool);
    if (cacheSize > 0 && tool.length <= MAX_CACHED_NAME) {
      if (cache.size >= cacheSize) {
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
      }
      cache.set(tool, rule);
    }
    return rule;
  };

  const defaultDecision: PolicyDecision = Object.freeze(
    document.default === "allow"
      ? {
          decision: "allow",
          code: "allowed_by_default",
          matchedRule: null,
          reason: "Allowed: no policy rule covers this tool, and the policy allows tools without a rule.",
          counters: NONE,
          increment: NONE,
        }
      : {
          decision: "deny",
          code: "denied_by_default",
          matchedRule: null,
          reason: "Denied: no policy rule covers this tool, and the policy denies tools without a rule. Do not retry this call.",
          counters: NONE,
          increment: NONE,
        },
  );

  return { document, defaultAction: document.default, rules, defaultDecision, match };
}

/** The reference matcher: tries every rule in precedence order. Slow; kept for tests and the benchmark baseline. */
export function matchByScan(compiled: CompiledPolicy, tool: string): CompiledRule | null {
  for (const rule of compiled.rules) {
    if (rule.isGlob ? globMatch(rule.pattern, tool) : rule.pattern === tool) return rule;
  }
  return null;
}
