// The canonical form of a policy: two documents that mean the same thing normalise to the same JSON. Used to test
// that the visual builder and the JSON editor round-trip without changing meaning, and to diff versions.
// Only spellings the language defines as equal are merged; array order is kept (it shows in messages to agents).
import { canonicalJson } from "@/lib/policy/canonical-json";
import { isPlainObject } from "@/lib/json/is-plain-object";
import type { ArgConstraint, JsonValue, PolicyDocument, PolicyLimit, PolicyRule, PolicyTest } from "@/lib/policy/types";

function sortedKeys<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out as T;
}

/** A JSON value with object keys sorted at every level (key order never matters in JSON). */
function canonicalValue(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (isPlainObject(value)) {
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(value).sort()) {
      Object.defineProperty(out, key, { value: canonicalValue(value[key] as JsonValue), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** Drops keywords that allow everything (`minLength: 0`, `uniqueItems: false`, `additionalProperties: true`, `{}`). */
export function normalizeConstraint(c: ArgConstraint): ArgConstraint {
  const out: ArgConstraint = {};
  if (c.type !== undefined) out.type = Array.isArray(c.type) && c.type.length === 1 ? c.type[0] : c.type;
  if (c.enum !== undefined) out.enum = c.enum.map(canonicalValue);
  if (c.const !== undefined) out.const = canonicalValue(c.const);
  for (const key of ["pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "maxLength", "maxItems"] as const) {
    if (c[key] !== undefined) (out as Record<string, unknown>)[key] = c[key];
  }
  if (c.minLength) out.minLength = c.minLength;
  if (c.minItems) out.minItems = c.minItems;
  if (c.uniqueItems) out.uniqueItems = true;
  if (c.items) {
    const items = normalizeConstraint(c.items);
    if (Object.keys(items).length > 0) out.items = items;
  }
  if (c.properties) {
    const properties: Record<string, ArgConstraint> = {};
    for (const key of Object.keys(c.properties).sort()) {
      const sub = normalizeConstraint(c.properties[key]!);
      if (Object.keys(sub).length > 0) {
        Object.defineProperty(properties, key, { value: sub, enumerable: true, writable: true, configurable: true });
      }
    }
    if (Object.keys(properties).length > 0) out.properties = properties;
  }
  if (c.required && c.required.length > 0) out.required = [...c.required];
  if (c.additionalProperties === false) out.additionalProperties = false;
  else if (isPlainObject(c.additionalProperties)) {
    const extra = normalizeConstraint(c.additionalProperties);
    if (Object.keys(extra).length > 0) out.additionalProperties = extra;
  }
  return sortedKeys(out);
}

function normalizeLimit(limit: PolicyLimit): PolicyLimit {
  return sortedKeys({ counter: limit.counter, max: limit.max, scope: limit.scope, window: limit.window });
}

export function normalizeRule(rule: PolicyRule): PolicyRule {
  const out: PolicyRule = {};
  if (rule.action !== undefined && rule.action !== "allow") out.action = rule.action;
  if (rule.reason !== undefined) out.reason = rule.reason;
  if (rule.limits && rule.limits.length > 0) {
    // Every limit of a rule is checked, so their order means nothing; a rule names each counter once.
    out.limits = rule.limits.map(normalizeLimit).sort((a, b) => (a.counter < b.counter ? -1 : a.counter > b.counter ? 1 : 0));
  }
  if (rule.args) {
    const args: Record<string, ArgConstraint> = {};
    for (const name of Object.keys(rule.args).sort()) {
      const constraint = normalizeConstraint(rule.args[name]!);
      if (Object.keys(constraint).length > 0) {
        Object.defineProperty(args, name, { value: constraint, enumerable: true, writable: true, configurable: true });
      }
    }
    if (Object.keys(args).length > 0) out.args = args;
  }
  if (rule.approval_timeout_seconds !== undefined) out.approval_timeout_seconds = rule.approval_timeout_seconds;
  return sortedKeys(out);
}

function normalizeTest(test: PolicyTest): PolicyTest {
  const out: PolicyTest = { tool: test.tool, expect: test.expect };
  if (test.name !== undefined) out.name = test.name;
  if (test.args && Object.keys(test.args).length > 0) out.args = canonicalValue(test.args) as PolicyTest["args"];
  if (test.grant !== undefined) out.grant = test.grant;
  if (test.usage) {
    // No calls counted is the same as not saying.
    const usage = Object.fromEntries(Object.entries(test.usage).filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (Object.keys(usage).length > 0) out.usage = usage;
  }
  return sortedKeys(out);
}

/**
 * The canonical form of a valid policy: keys sorted, `"action": "allow"` and empty lists, maps and constraints
 * dropped, limits ordered by counter. `tests` keep their order (it is the order they are reported in).
 */
export function normalizePolicy(document: PolicyDocument): PolicyDocument {
  const tools: Record<string, PolicyRule> = {};
  for (const pattern of Object.keys(document.tools ?? {}).sort()) {
    Object.defineProperty(tools, pattern, { value: normalizeRule(document.tools[pattern]!), enumerable: true, writable: true, configurable: true });
  }
  const out: PolicyDocument = { version: "1", default: document.default, tools };
  if (document.tests && document.tests.length > 0) out.tests = document.tests.map(normalizeTest);
  return sortedKeys(out);
}

/** True when two valid policies mean the same thing. */
export function policiesEquivalent(a: PolicyDocument, b: PolicyDocument): boolean {
  return canonicalJson(normalizePolicy(a)) === canonicalJson(normalizePolicy(b));
}
