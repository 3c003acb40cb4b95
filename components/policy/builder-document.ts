// The visual builder's view of a policy document and the edits it makes. Every edit returns a new document that
// differs from the old one only where the edit says: keys the builder has no control for (`tests`, rare
// constraint keywords, `approval_timeout_seconds`) are carried over untouched, and key order is kept.
import {
  COUNTER_NAME,
  compilePolicy,
  isGlob,
  type ArgConstraint,
  type CompiledPolicy,
  type DefaultAction,
  type PolicyDocument,
  type PolicyLimit,
  type PolicyRule,
  type RuleAction,
} from "@/lib/policy";
import type { RecommendedRule } from "@/lib/risk/types";

export type RowKind = "tool" | "pattern" | "unlisted";

/** One row of the builder: a tool of the server (with its rule, or none), or a rule for a glob or an unlisted name. */
export interface BuilderRow<T extends { name: string }> {
  pattern: string;
  kind: RowKind;
  tool: T | null;
  rule: PolicyRule | null;
}

/** The rules of a document (a document may leave `tools` out). */
export function rulesOf(doc: PolicyDocument): Record<string, PolicyRule> {
  return doc.tools ?? {};
}

function hasRule(doc: PolicyDocument, pattern: string): boolean {
  return Object.hasOwn(rulesOf(doc), pattern);
}

/**
 * A row per tool of the server, in the server's order, then a row per other rule (globs, names the server does not
 * list) in document order. Every rule of the document is in exactly one row, so nothing can be hidden from view.
 */
export function builderRows<T extends { name: string }>(doc: PolicyDocument, tools: readonly T[]): BuilderRow<T>[] {
  const rules = rulesOf(doc);
  const listed = new Set<string>();
  const rows: BuilderRow<T>[] = [];
  for (const tool of tools) {
    if (listed.has(tool.name)) continue;
    listed.add(tool.name);
    rows.push({ pattern: tool.name, kind: "tool", tool, rule: Object.hasOwn(rules, tool.name) ? rules[tool.name]! : null });
  }
  for (const [pattern, rule] of Object.entries(rules)) {
    if (listed.has(pattern)) continue;
    rows.push({ pattern, kind: isGlob(pattern) ? "pattern" : "unlisted", tool: null, rule });
  }
  return rows;
}

function define<T>(target: Record<string, T>, key: string, value: T): void {
  // defineProperty, not assignment: a key named `__proto__` must stay an ordinary key.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy of `obj` with `key` set in place (or appended), or removed when `value` is undefined. */
export function withKey<T>(obj: Readonly<Record<string, T>>, key: string, value: T | undefined): Record<string, T> {
  const out: Record<string, T> = {};
  let placed = false;
  for (const [k, v] of Object.entries(obj)) {
    if (k !== key) define(out, k, v);
    else {
      placed = true;
      if (value !== undefined) define(out, k, value);
    }
  }
  if (!placed && value !== undefined) define(out, key, value);
  return out;
}

function withField<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): T {
  return withKey<unknown>(obj as Record<string, unknown>, key as string, value) as T;
}

export function setDefault(doc: PolicyDocument, value: DefaultAction): PolicyDocument {
  return doc.default === value ? doc : withField(doc, "default", value);
}

/** Sets the rule for `pattern` (in place when it exists, else last), or removes it when `rule` is null. */
export function setRule(doc: PolicyDocument, pattern: string, rule: PolicyRule | null): PolicyDocument {
  if (rule === null && !hasRule(doc, pattern)) return doc;
  return withField(doc, "tools", withKey(rulesOf(doc), pattern, rule ?? undefined));
}

export function updateRule(doc: PolicyDocument, pattern: string, update: (rule: PolicyRule) => PolicyRule): PolicyDocument {
  const current = hasRule(doc, pattern) ? rulesOf(doc)[pattern]! : {};
  return setRule(doc, pattern, update(current));
}

/** The rule's action; approval_timeout_seconds only exists on require_approval rules, so it goes with that action. */
export function withAction(rule: PolicyRule, action: RuleAction): PolicyRule {
  if ((rule.action ?? "allow") === action) return rule;
  let next = withField(rule, "action", action);
  if (action !== "require_approval") next = withField(next, "approval_timeout_seconds", undefined);
  return next;
}

/** A blank reason is removed rather than written: the language refuses an empty one. */
export function withReason(rule: PolicyRule, reason: string): PolicyRule {
  return withField(rule, "reason", reason.trim() === "" ? undefined : reason);
}

/** Replaces limit `index` (appends when index is the length), or removes it when `limit` is null. */
export function withLimit(rule: PolicyRule, index: number, limit: PolicyLimit | null): PolicyRule {
  const limits = [...(rule.limits ?? [])];
  if (limit === null) limits.splice(index, 1);
  else limits[index] = limit;
  return withField(rule, "limits", limits.length > 0 ? limits : undefined);
}

export type BuilderKeyword = "enum" | "const" | "pattern" | "minimum" | "maximum" | "maxLength";

/** Sets (or, with undefined, removes) one keyword of one argument's constraint; emptied maps are removed. */
export function withArgKeyword(rule: PolicyRule, arg: string, keyword: BuilderKeyword, value: ArgConstraint[BuilderKeyword] | undefined): PolicyRule {
  const args = rule.args ?? {};
  const current = Object.hasOwn(args, arg) ? args[arg]! : {};
  const constraint = withField(current, keyword, value);
  const nextArgs = withKey(args, arg, Object.keys(constraint).length > 0 ? constraint : undefined);
  return withField(rule, "args", Object.keys(nextArgs).length > 0 ? nextArgs : undefined);
}

/** The names of the arguments the rule constrains, in document order. */
export function argNames(rule: PolicyRule): string[] {
  return Object.keys(rule.args ?? {});
}

/** Counter names must fit COUNTER_NAME; tool names may not. */
export function counterNameFor(base: string, suffix: string): string {
  const cleaned = `${base}`.replace(/[^A-Za-z0-9_.-]/g, "_").replace(/^[^A-Za-z0-9]+/, "");
  const name = `${(cleaned || "tool").slice(0, 64 - suffix.length - 1)}_${suffix}`;
  return COUNTER_NAME.test(name) ? name : `calls_${suffix}`.slice(0, 64);
}

/** Every counter the document defines, with the patterns of the rules that name it. */
export function counterUsers(doc: PolicyDocument): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const [pattern, rule] of Object.entries(rulesOf(doc))) {
    for (const limit of rule.limits ?? []) {
      if (typeof limit.counter !== "string") continue;
      users.set(limit.counter, [...(users.get(limit.counter) ?? []), pattern]);
    }
  }
  return users;
}

/** A new limit for a rule: 10 calls a minute per key, on a counter no other rule uses yet. */
export function newLimit(doc: PolicyDocument, pattern: string): PolicyLimit {
  const taken = counterUsers(doc);
  let counter = counterNameFor(pattern, "calls");
  for (let n = 2; taken.has(counter); n++) counter = counterNameFor(pattern, `calls_${n}`);
  return { counter, window: "minute", max: 10, scope: "grant" };
}

/**
 * The recommended rule applied to a rule: its action, reason and limits are the recommendation's; its argument
 * constraints are kept, and so is its approval timeout when the recommendation still holds calls for approval.
 */
export function withRecommendation(rule: PolicyRule | null, recommended: RecommendedRule): PolicyRule {
  let next: PolicyRule = rule ?? {};
  next = withField(next, "action", recommended.action);
  if (recommended.action !== "require_approval") next = withField(next, "approval_timeout_seconds", undefined);
  next = withField(next, "reason", recommended.reason);
  const limits = (recommended.limits ?? []).map((l) => ({ ...l, counter: COUNTER_NAME.test(l.counter) ? l.counter : counterNameFor(l.counter, "rate") }));
  next = withField(next, "limits", limits.length > 0 ? limits : undefined);
  return next;
}

/** The tools a recommendation is applied to, with the rule recommended for each. */
export function applyRecommendations(doc: PolicyDocument, recommendations: readonly { name: string; rule: RecommendedRule }[]): PolicyDocument {
  let next = doc;
  for (const { name, rule } of recommendations) {
    next = setRule(next, name, withRecommendation(hasRule(next, name) ? rulesOf(next)[name]! : null, rule));
  }
  return next;
}

/** Compiles for display (which rule applies to a tool); null when the document cannot be compiled. */
export function compileForDisplay(doc: PolicyDocument): CompiledPolicy | null {
  try {
    return compilePolicy({ ...doc, tools: rulesOf(doc) });
  } catch {
    return null;
  }
}

const WINDOW_WORDS = { second: "a second", minute: "a minute", hour: "an hour", day: "a day" } as const;

/** A limit in a few words: "10 a minute per key". */
export function describeLimit(limit: PolicyLimit): string {
  const window = WINDOW_WORDS[limit.window] ?? `per ${String(limit.window)}`;
  return `${limit.max} ${window} ${limit.scope === "server" ? "for the server" : "per key"}`;
}

/** Short labels for what a rule holds beyond its action, for a collapsed row. */
export function ruleSummary(rule: PolicyRule): string[] {
  const parts = (rule.limits ?? []).map(describeLimit);
  const constrained = Object.keys(rule.args ?? {}).length;
  if (constrained > 0) parts.push(constrained === 1 ? "1 argument constraint" : `${constrained} argument constraints`);
  if (rule.approval_timeout_seconds !== undefined) parts.push(`held up to ${rule.approval_timeout_seconds} s`);
  if (rule.reason) parts.push("reason given");
  return parts;
}
