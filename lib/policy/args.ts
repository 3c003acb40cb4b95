// Argument constraints are checked by a real JSON Schema 2020-12 validator (ajv), compiled once per distinct
// constraint and shared by every rule and policy version that uses it.
import Ajv2020 from "ajv/dist/2020";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import { canonicalJson } from "@/lib/policy/canonical-json";
import { isPlainObject } from "@/lib/json/is-plain-object";
import { listOr, plural, showTyped, showValue, JSON_TYPE_WORDS } from "@/lib/policy/describe";
import { parsePointer } from "@/lib/policy/json-position";
import type { PatternBudget } from "@/lib/policy/pattern-budget";
import { meterPatternChecks, planPatternChecks } from "@/lib/policy/pattern-checks";
import { PatternUnavailableError, policyRegExp } from "@/lib/policy/pattern-engine";
import type { ArgConstraint, ArgumentViolation } from "@/lib/policy/types";

/**
 * Returns the violations of `args` (an object; anything else is checked as no arguments), or null when none.
 * Pattern work is limited per call, and also charged to `budget` when given (a budget several calls share). Throws PatternUnavailableError
 * when a pattern of the constraints cannot run, so the caller refuses the call.
 */
export type ArgsCheck = (args: unknown, budget?: PatternBudget) => ArgumentViolation[] | null;

// The validator is fed documents that passed validatePolicy, so ajv's own meta-schema checks are skipped: they
// triple compile time. Generated code is left unoptimised for the same reason; validation speed is unaffected.
// `pattern` keywords run on the linear-time engine, never on JavaScript's backtracking RegExp.
const AJV_OPTIONS = {
  allErrors: true,
  strict: false,
  validateSchema: false,
  meta: false,
  code: { optimize: false, regExp: policyRegExp },
} as const;
/** A fresh ajv instance after this many compilations, so its internal caches cannot grow without bound. */
const COMPILATIONS_PER_INSTANCE = 1000;
const MEMO_SIZE = 2000;

let ajv = new Ajv2020(AJV_OPTIONS);
let compilations = 0;
const memo = new Map<string, ArgsCheck>();

function compileSchema(schema: object): ValidateFunction {
  if (compilations >= COMPILATIONS_PER_INSTANCE) {
    ajv = new Ajv2020(AJV_OPTIONS);
    compilations = 0;
  }
  compilations++;
  const validate = ajv.compile(schema);
  ajv.removeSchema(schema);
  return validate;
}

/** Compiles (or reuses) the check of a rule's `args`: each named argument, when present, must meet its constraint. */
export function compileArgsCheck(args: Record<string, ArgConstraint>): ArgsCheck {
  const key = canonicalJson(args);
  const known = memo.get(key);
  if (known) return known;
  // Compiled from the canonical text, so violations come in argument-name order however the rule is written.
  const schema = { type: "object", properties: JSON.parse(key) as object };
  const planned = planPatternChecks(schema);
  let check: ArgsCheck;
  if (!planned.ok) {
    // A stored policy may hold a pattern the engine cannot run: its calls are refused, never checked another way.
    const problem = planned.problem;
    check = () => {
      throw new PatternUnavailableError(problem);
    };
  } else {
    const validate = compileSchema(schema);
    const plan = planned.plan;
    check = (value, budget) => {
      const input = isPlainObject(value) ? value : {};
      if (plan) {
        const refused = meterPatternChecks(plan, input, budget);
        if (refused) return refused.sort(byPathThenKeyword);
      }
      if (validate(input)) return null;
      // Sorted, because ajv's order depends on which keywords sit beside each other, not on meaning.
      return (validate.errors ?? []).map((error) => violationOf(error, input)).sort(byPathThenKeyword);
    };
  }
  if (memo.size >= MEMO_SIZE) {
    const oldest = memo.keys().next();
    if (!oldest.done) memo.delete(oldest.value);
  }
  memo.set(key, check);
  return check;
}

function byPathThenKeyword(a: ArgumentViolation, b: ArgumentViolation): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.keyword < b.keyword ? -1 : a.keyword > b.keyword ? 1 : 0;
}


function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

function describeFailure(error: ErrorObject, value: unknown, where: string): string {
  const p = error.params as Record<string, unknown>;
  const got = `; got ${showValue(value)}`;
  switch (error.keyword) {
    case "type": {
      const types = Array.isArray(p.type) ? (p.type as string[]) : String(p.type).split(",");
      return `must be ${listOr(types.map((t) => JSON_TYPE_WORDS[t] ?? t))}; got ${showTyped(value)}`;
    }
    case "enum": {
      const allowed = (p.allowedValues as unknown[]) ?? [];
      const shown = allowed.slice(0, 10).map(showValue).join(", ") + (allowed.length > 10 ? `, … (${allowed.length} values)` : "");
      return `must be one of ${shown}${got}`;
    }
    case "const":
      return `must be ${showValue(p.allowedValue)}${got}`;
    case "pattern":
      return `must match the regular expression \`${String(p.pattern)}\`${got}`;
    case "minimum":
      return `must be at least ${String(p.limit)}${got}`;
    case "maximum":
      return `must be at most ${String(p.limit)}${got}`;
    case "exclusiveMinimum":
      return `must be greater than ${String(p.limit)}${got}`;
    case "exclusiveMaximum":
      return `must be less than ${String(p.limit)}${got}`;
    case "multipleOf":
      return `must be a multiple of ${String(p.multipleOf)}${got}`;
    case "minLength":
      return `must be at least ${plural(Number(p.limit), "character")} long; got ${typeof value === "string" ? codePoints(value) : "?"}`;
    case "maxLength":
      return `must be at most ${plural(Number(p.limit), "character")} long; got ${typeof value === "string" ? codePoints(value) : "?"}`;
    case "minItems":
      return `must have at least ${plural(Number(p.limit), "item")}; got ${Array.isArray(value) ? value.length : "?"}`;
    case "maxItems":
      return `must have at most ${plural(Number(p.limit), "item")}; got ${Array.isArray(value) ? value.length : "?"}`;
    case "uniqueItems": {
      const [a, b] = [Number(p.i), Number(p.j)].sort((x, y) => x - y);
      return `must not repeat items (\`${where}[${a}]\` and \`${where}[${b}]\` are equal)`;
    }
    case "required":
      return "is required";
    case "additionalProperties":
      return "is not allowed";
    default:
      return error.message ?? `breaks the \`${error.keyword}\` constraint`;
  }
}

function violationOf(error: ErrorObject, args: Record<string, unknown>): ArgumentViolation {
  const segments = parsePointer(error.instancePath);
  const p = error.params as Record<string, unknown>;
  // `required` and `additionalProperties` fail on the object; the message is about its property.
  if (error.keyword === "required" && typeof p.missingProperty === "string") segments.push(p.missingProperty);
  if (error.keyword === "additionalProperties" && typeof p.additionalProperty === "string") segments.push(p.additionalProperty);
  let display = "";
  let cursor: unknown = args;
  for (const segment of segments) {
    if (Array.isArray(cursor)) {
      display += `[${segment}]`;
      cursor = cursor[Number(segment)];
    } else {
      display += display === "" ? segment : `.${segment}`;
      cursor = isPlainObject(cursor) ? cursor[segment] : undefined;
    }
  }
  return {
    arg: segments[0] ?? "",
    path: display,
    keyword: error.keyword,
    message: `\`${display}\` ${describeFailure(error, cursor, display)}.`,
  };
}
