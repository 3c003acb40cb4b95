// Before a rule's constraints run, every string a `pattern` will be run on is found and measured: a value over the
// length bound, or one that would take the call past its budget, is refused unchecked, so no pattern ever runs on
// more than the budget allows. The walk follows the only applicators the policy language has (`properties`,
// `additionalProperties`, `items`), exactly where the JSON Schema validator will apply each pattern.
import { isPlainObject } from "@/lib/json/is-plain-object";
import { CALL_PATTERN_STEPS, MAX_PATTERN_VALUE_LENGTH, MAX_POLICY_PATTERN_SIZE, type PatternBudget } from "@/lib/policy/pattern-budget";
import { compilePattern } from "@/lib/policy/pattern-engine";
import type { ArgumentViolation } from "@/lib/policy/types";

/** Where patterns apply in a schema; every plan has the same shape, which keeps the walk on the hot path fast. */
export interface PatternPlan {
  /** The size of the pattern at this place, 0 when it has none (the compiled pattern stays in the engine's cache). */
  readonly size: number;
  readonly properties: readonly (readonly [string, PatternPlan])[];
  /** Every property name the schema's `properties` lists: `additionalProperties` applies to the others. */
  readonly named: ReadonlySet<string> | null;
  readonly additional: PatternPlan | null;
  readonly items: PatternPlan | null;
}

/** A plan of the pattern checks, null when the schema has no pattern, or the first pattern that cannot run. */
export type PlanResult = { ok: true; plan: PatternPlan | null } | { ok: false; problem: string };

const count = (n: number) => n.toLocaleString("en-US");

/** Distinct patterns of one plan and their total size, bounded like a whole policy's at save time. */
type Sizes = Map<string, number>;

/**
 * `where` names the value as people write it (`to[]`, `options.mode`); empty for the arguments object. A stored
 * policy was not always bounded at save time, so the plan stops compiling once its patterns pass the policy bound.
 */
export function planPatternChecks(schema: unknown, where = "", sizes: Sizes = new Map()): PlanResult {
  if (!isPlainObject(schema)) return { ok: true, plan: null };
  let size = 0;
  if (typeof schema.pattern === "string") {
    const source = schema.pattern;
    const named = `The \`pattern\` on \`${where}\` (\`${source}\`)`;
    const known = sizes.get(source);
    if (known === undefined) {
      const total = [...sizes.values()].reduce((a, b) => a + b, 0);
      if (total > MAX_POLICY_PATTERN_SIZE) return { ok: false, problem: `${named} was not compiled: the patterns of this rule are over the ${count(MAX_POLICY_PATTERN_SIZE)} instructions a policy may have in all.` };
      const compiled = compilePattern(source);
      if (!compiled.ok) return { ok: false, problem: `${named} ${compiled.problem}` };
      size = compiled.pattern.size;
      sizes.set(source, size);
    } else size = known;
  }
  const properties: [string, PatternPlan][] = [];
  let named: Set<string> | null = null;
  if (isPlainObject(schema.properties)) {
    named = new Set(Object.keys(schema.properties));
    for (const [name, sub] of Object.entries(schema.properties)) {
      const result = planPatternChecks(sub, where === "" ? name : `${where}.${name}`, sizes);
      if (!result.ok) return result;
      if (result.plan) properties.push([name, result.plan]);
    }
  }
  const extra = isPlainObject(schema.additionalProperties) ? planPatternChecks(schema.additionalProperties, `${where}.*`, sizes) : null;
  if (extra && !extra.ok) return extra;
  const items = planPatternChecks(schema.items, `${where}[]`, sizes);
  if (!items.ok) return items;
  const additional = extra?.plan ?? null;
  if (size === 0 && properties.length === 0 && !additional && !items.plan) return { ok: true, plan: null };
  return { ok: true, plan: { size, properties, named, additional, items: items.plan } };
}

interface Walk {
  /** A budget shared with other calls (a policy's examples), on top of the call's own. */
  shared: PatternBudget | undefined;
  /** Steps of this call so far, charged to the shared budget only when the whole call fits. */
  steps: number;
  violations: ArgumentViolation[];
  /** Where the walk is (property names and item indexes), turned into text only for a refusal. */
  at: (string | number)[];
}

const over = (owner: string, steps: number, limit: number) =>
  `would bring the pattern work of ${owner} to ${count(steps)} steps (each value's length plus one, times its pattern's size), over the ${count(limit)} allowed`;

function overBudget(walk: Walk): string | null {
  if (walk.steps > CALL_PATTERN_STEPS) return over("one call", walk.steps, CALL_PATTERN_STEPS);
  const shared = walk.shared;
  if (shared && walk.steps > shared.remaining) {
    shared.overrun = true;
    return over(shared.owner, shared.limit - shared.remaining + walk.steps, shared.limit);
  }
  return null;
}

/** `recipients[2]`, `options.mode`: a place in the arguments as the other violations write it. */
function refuse(walk: Walk, message: (shown: string) => string): void {
  let path = "";
  for (const segment of walk.at) path += typeof segment === "number" ? `[${segment}]` : path === "" ? segment : `.${segment}`;
  walk.violations.push({ arg: String(walk.at[0] ?? ""), path, keyword: "pattern", message: message(`\`${path}\``) });
}

function visit(plan: PatternPlan, value: unknown, walk: Walk): void {
  if (plan.size > 0 && typeof value === "string") {
    if (value.length > MAX_PATTERN_VALUE_LENGTH) {
      refuse(walk, (shown) => `${shown} is ${count(value.length)} characters long, over the ${count(MAX_PATTERN_VALUE_LENGTH)} a value checked against a pattern may have, so it was not checked.`);
    } else {
      walk.steps += (value.length + 1) * plan.size;
      const exceeded = walk.violations.length === 0 ? overBudget(walk) : null;
      if (exceeded) refuse(walk, (shown) => `${shown} was not checked against its pattern: checking it ${exceeded}.`);
    }
  }
  if (plan.items !== null && Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) {
      walk.at.push(k);
      visit(plan.items, value[k], walk);
      walk.at.pop();
    }
  } else if ((plan.properties.length > 0 || plan.additional !== null) && isPlainObject(value)) {
    for (let k = 0; k < plan.properties.length; k++) {
      const [name, sub] = plan.properties[k]!;
      if (!Object.hasOwn(value, name)) continue;
      walk.at.push(name);
      visit(sub, value[name], walk);
      walk.at.pop();
    }
    if (plan.additional !== null) {
      for (const key of Object.keys(value)) {
        if (plan.named?.has(key)) continue;
        walk.at.push(key);
        visit(plan.additional, value[key], walk);
        walk.at.pop();
      }
    }
  }
}

/**
 * Refusals for values a pattern may not run on (too long, or over one call's budget or the `shared` one), or null
 * when every check fits; then the steps are taken from `shared`.
 */
export function meterPatternChecks(plan: PatternPlan, args: Record<string, unknown>, shared?: PatternBudget): ArgumentViolation[] | null {
  const walk: Walk = { shared, steps: 0, violations: [], at: [] };
  visit(plan, args, walk);
  if (walk.violations.length > 0) return walk.violations;
  if (shared) shared.remaining -= walk.steps;
  return null;
}
