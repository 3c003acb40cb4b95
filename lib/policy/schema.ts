// The validator of policy documents. Hand-written rather than generated from a schema library so that every error
// carries an exact JSON Pointer and a sentence a person can act on, and so that all errors are found in one pass.
import { isPlainObject } from "@/lib/json/is-plain-object";
import { closest, listOr, showTyped, showValue } from "@/lib/policy/describe";
import { pointerChild } from "@/lib/policy/json-position";
import { MAX_POLICY_PATTERN_SIZE } from "@/lib/policy/pattern-budget";
import { compilePattern } from "@/lib/policy/pattern-engine";
import { describeUnstorable, listUnstorable } from "@/lib/json/storable-text";
import {
  DECISIONS,
  DEFAULT_ACTIONS,
  JSON_TYPES,
  LIMIT_SCOPES,
  LIMIT_WINDOWS,
  MAX_APPROVAL_TIMEOUT_SECONDS,
  RULE_ACTIONS,
  type PolicyDocument,
  type PolicyIssue,
} from "@/lib/policy/types";

export type PolicyValidation = { ok: true; document: PolicyDocument; errors: [] } | { ok: false; errors: PolicyIssue[] };

const DOCUMENT_KEYS = ["version", "default", "tools", "tests"] as const;
const RULE_KEYS = ["action", "reason", "limits", "args", "approval_timeout_seconds"] as const;
const LIMIT_KEYS = ["counter", "window", "max", "scope"] as const;
const TEST_KEYS = ["name", "tool", "args", "expect", "grant", "usage"] as const;

/** The JSON Schema keywords an argument constraint may use. */
export const CONSTRAINT_KEYWORDS = [
  "type",
  "enum",
  "const",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "items",
  "minItems",
  "maxItems",
  "uniqueItems",
  "properties",
  "required",
  "additionalProperties",
] as const;

/** Tool names in MCP are at most 128 characters; a pattern longer than this could match none and costs every match. */
export const MAX_TOOL_PATTERN_LENGTH = 256;

/** Counter names end up in counter keys, so they are kept to characters that need no escaping. */
export const COUNTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const UNSUPPORTED_KEYWORD_HINTS: Record<string, string> = {
  format: "`format` is not supported: use `pattern` with a regular expression instead.",
  $ref: "`$ref` is not supported: write the constraint out in full.",
  $schema: "`$schema` is not needed: constraints are always JSON Schema 2020-12 keywords.",
  oneOf: "`oneOf` is not supported: use `enum` for a list of allowed values.",
  anyOf: "`anyOf` is not supported: use `enum` for a list of allowed values.",
  allOf: "`allOf` is not supported: put all the keywords in one constraint.",
  not: "`not` is not supported: describe the allowed values instead.",
  default: "`default` is not a constraint: a policy cannot fill in arguments.",
};

/** JSON Schema validators skip a property of this name, so a constraint on it would silently never apply. */
const UNCHECKABLE_PROTO = "A property named `__proto__` cannot be constrained: the JSON Schema validator would ignore the constraint.";

interface DefinedCounter {
  path: string;
  window: unknown;
  max: unknown;
  scope: unknown;
}

function has(value: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(value, key);
}

class Checker {
  readonly errors: PolicyIssue[] = [];
  readonly counters = new Map<string, DefinedCounter>();
  /** Distinct patterns seen so far and their compiled sizes. */
  readonly patternSizes = new Map<string, number>();
  patternTotal = 0;

  add(path: string, code: string, message: string): void {
    this.errors.push({ path, code, message });
  }

  /** Reports keys outside `allowed`; `where` names the object in the message ("a rule", "a limit"). */
  unknownKeys(value: Record<string, unknown>, path: string, allowed: readonly string[], where: string): void {
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      const guess = closest(key, allowed);
      const hint = guess ? ` Did you mean \`${guess}\`?` : "";
      this.add(
        pointerChild(path, key),
        "unknown_key",
        `Unknown key \`${key}\` in ${where}.${hint} Allowed keys: ${allowed.join(", ")}.`,
      );
    }
  }

  oneOf(value: unknown, path: string, name: string, options: readonly string[]): void {
    if (typeof value === "string" && options.includes(value)) return;
    const guess = typeof value === "string" ? closest(value, options) : undefined;
    const hint = guess ? ` (did you mean "${guess}"?)` : "";
    this.add(path, "invalid_value", `\`${name}\` must be one of ${options.join(", ")}; got ${showValue(value)}${hint}.`);
  }

  /** `name` is written as it should appear in the message, e.g. "`max`". */
  wholeNumber(value: unknown, path: string, name: string, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      this.add(path, "type", `${name} must be a whole number; got ${showTyped(value)}.`);
      return false;
    }
    if (value < min || value > max) {
      const range =
        max !== Number.MAX_SAFE_INTEGER ? `from ${min} to ${max}` : value < min ? `${min} or more` : `at most ${max}`;
      this.add(path, "invalid_value", `${name} must be ${range}; got ${value}.`);
      return false;
    }
    return true;
  }

  document(input: unknown): void {
    if (!isPlainObject(input)) {
      this.add(
        "",
        "type",
        `A policy must be a JSON object such as {"version": "1", "default": "deny", "tools": {}}; got ${showTyped(input)}.`,
      );
      return;
    }
    this.unknownKeys(input, "", DOCUMENT_KEYS, "the policy");

    if (!has(input, "version")) this.add("/version", "required", '`version` is missing: add "version": "1".');
    else if (input.version !== "1") {
      this.add(
        "/version",
        "invalid_value",
        input.version === 1
          ? '`version` must be the string "1", in quotes; got the number 1.'
          : `\`version\` must be "1", the only version of the policy language; got ${showValue(input.version)}.`,
      );
    }

    if (!has(input, "default")) {
      this.add(
        "/default",
        "required",
        '`default` is missing: add "default": "deny" to refuse tools that no rule names, or "allow" to let them through.',
      );
    } else this.oneOf(input.default, "/default", "default", DEFAULT_ACTIONS);

    if (has(input, "tools")) {
      if (!isPlainObject(input.tools)) {
        this.add("/tools", "type", `\`tools\` must be an object from tool names or patterns to rules; got ${showTyped(input.tools)}.`);
      } else {
        for (const [pattern, rule] of Object.entries(input.tools)) this.rule(pattern, rule, pointerChild("/tools", pattern));
      }
    }

    if (has(input, "tests")) this.tests(input.tests);
  }

  pattern(pattern: string, path: string): void {
    if (pattern === "") this.add(path, "invalid_pattern", "A tool name or pattern cannot be empty.");
    else if (pattern.trim() !== pattern) {
      this.add(path, "invalid_pattern", `The tool pattern ${JSON.stringify(pattern)} starts or ends with spaces; tool names never do.`);
    } else if (/[\u0000-\u001f\u007f]/.test(pattern)) {
      this.add(path, "invalid_pattern", `The tool pattern ${JSON.stringify(pattern)} contains a control character.`);
    } else if (pattern.length > MAX_TOOL_PATTERN_LENGTH) {
      // Matching costs up to the name's length times the pattern's: both are bounded.
      this.add(path, "invalid_pattern", `The tool pattern is ${pattern.length} characters long; tool names and patterns may be up to ${MAX_TOOL_PATTERN_LENGTH}.`);
    }
  }

  rule(pattern: string, rule: unknown, path: string): void {
    this.pattern(pattern, path);
    if (!isPlainObject(rule)) {
      const hint =
        typeof rule === "string" && (RULE_ACTIONS as readonly string[]).includes(rule) ? ` Write {"action": "${rule}"}.` : "";
      this.add(path, "type", `The rule for \`${pattern}\` must be an object such as {"action": "deny"}; got ${showTyped(rule)}.${hint}`);
      return;
    }
    this.unknownKeys(rule, path, RULE_KEYS, `the rule for \`${pattern}\``);

    if (has(rule, "action")) this.oneOf(rule.action, pointerChild(path, "action"), "action", RULE_ACTIONS);

    if (has(rule, "reason")) {
      const at = pointerChild(path, "reason");
      if (typeof rule.reason !== "string") this.add(at, "type", `\`reason\` must be a sentence in a string; got ${showTyped(rule.reason)}.`);
      else if (rule.reason.trim() === "") this.add(at, "invalid_value", "`reason` is empty: write what the agent should be told, or remove the key.");
    }

    if (has(rule, "limits")) {
      const at = pointerChild(path, "limits");
      if (!Array.isArray(rule.limits)) {
        this.add(at, "type", `\`limits\` must be an array of limits such as [{"counter": "calls", "window": "minute", "max": 10, "scope": "grant"}]; got ${showTyped(rule.limits)}.`);
      } else {
        const inThisRule = new Map<string, number>();
        rule.limits.forEach((limit, i) => this.limit(limit, pointerChild(at, i), i, inThisRule));
      }
    }

    if (has(rule, "args")) {
      const at = pointerChild(path, "args");
      if (!isPlainObject(rule.args)) {
        this.add(at, "type", `\`args\` must be an object from argument names to constraints, such as {"amount": {"maximum": 100}}; got ${showTyped(rule.args)}.`);
      } else {
        for (const [arg, constraint] of Object.entries(rule.args)) {
          if (arg === "") this.add(pointerChild(at, arg), "invalid_value", "An argument name cannot be empty.");
          if (arg === "__proto__") this.add(pointerChild(at, arg), "invalid_value", UNCHECKABLE_PROTO);
          this.constraint(constraint, pointerChild(at, arg), arg);
        }
      }
    }

    if (has(rule, "approval_timeout_seconds")) {
      const at = pointerChild(path, "approval_timeout_seconds");
      if (this.wholeNumber(rule.approval_timeout_seconds, at, "`approval_timeout_seconds`", 1, MAX_APPROVAL_TIMEOUT_SECONDS)) {
        if (rule.action !== "require_approval") {
          this.add(
            at,
            "invalid_value",
            `\`approval_timeout_seconds\` only applies to rules with "action": "require_approval"; this rule's action is ${showValue(rule.action ?? "allow")}.`,
          );
        }
      }
    }
  }

  limit(limit: unknown, path: string, index: number, inThisRule: Map<string, number>): void {
    if (!isPlainObject(limit)) {
      this.add(path, "type", `Each limit must be an object with counter, window, max and scope; got ${showTyped(limit)}.`);
      return;
    }
    this.unknownKeys(limit, path, LIMIT_KEYS, "a limit");
    for (const key of LIMIT_KEYS) {
      if (!has(limit, key)) this.add(pointerChild(path, key), "required", `This limit has no \`${key}\`: ${LIMIT_FIELD_HELP[key]}.`);
    }

    let counterOk = false;
    if (has(limit, "counter")) {
      const at = pointerChild(path, "counter");
      if (typeof limit.counter !== "string") this.add(at, "type", `\`counter\` must be a name in a string; got ${showTyped(limit.counter)}.`);
      else if (!COUNTER_NAME.test(limit.counter)) {
        this.add(at, "invalid_value", `\`counter\` must be 1 to 64 letters, digits, \`_\`, \`-\` or \`.\`, starting with a letter or digit; got ${showValue(limit.counter)}.`);
      } else counterOk = true;
    }
    if (has(limit, "window")) this.oneOf(limit.window, pointerChild(path, "window"), "window", LIMIT_WINDOWS);
    if (has(limit, "max")) {
      const at = pointerChild(path, "max");
      if (limit.max === 0) this.add(at, "invalid_value", '`max` must be 1 or more; got 0. To refuse every call, use "action": "deny".');
      else this.wholeNumber(limit.max, at, "`max`", 1);
    }
    if (has(limit, "scope")) this.oneOf(limit.scope, pointerChild(path, "scope"), "scope", LIMIT_SCOPES);

    if (!counterOk) return;
    const name = limit.counter as string;
    const earlier = inThisRule.get(name);
    if (earlier !== undefined) {
      this.add(pointerChild(path, "counter"), "duplicate_counter", `Counter \`${name}\` is already used by limit ${earlier} of this rule: a call would be counted twice.`);
      return;
    }
    inThisRule.set(name, index);
    const defined = this.counters.get(name);
    if (!defined) {
      this.counters.set(name, { path, window: limit.window, max: limit.max, scope: limit.scope });
      return;
    }
    for (const field of ["window", "max", "scope"] as const) {
      // A field already reported as invalid is not compared again.
      if (!LIMIT_FIELD_VALID[field](limit[field]) || !LIMIT_FIELD_VALID[field](defined[field])) continue;
      if (limit[field] !== defined[field]) {
        this.add(
          pointerChild(path, field),
          "counter_conflict",
          `Counter \`${name}\` is defined at ${defined.path} with ${field} ${showValue(defined[field])}, here with ${showValue(limit[field])}: rules naming the same counter share one budget, so its window, max and scope must be the same everywhere.`,
        );
      }
    }
  }

  /**
   * A `pattern` must be one the linear-time engine runs, and all of a policy's distinct patterns together are
   * bounded in size; once over, later patterns are not even compiled, so checking any document stays quick.
   */
  regularExpression(source: string, path: string, name: string): void {
    if (this.patternSizes.has(source)) return;
    if (this.patternTotal > MAX_POLICY_PATTERN_SIZE) {
      this.add(path, "unsupported_pattern", `${name} was not checked: this policy's patterns are already over the ${MAX_POLICY_PATTERN_SIZE.toLocaleString("en-US")} instructions a policy may have in all.`);
      return;
    }
    const compiled = compilePattern(source);
    if (!compiled.ok) {
      this.add(path, compiled.kind === "syntax" ? "invalid_value" : "unsupported_pattern", `${name} ${compiled.problem}`);
      return;
    }
    this.patternSizes.set(source, compiled.pattern.size);
    this.patternTotal += compiled.pattern.size;
    if (this.patternTotal > MAX_POLICY_PATTERN_SIZE) {
      this.add(
        path,
        "unsupported_pattern",
        `${name} brings the size of this policy's patterns to ${this.patternTotal.toLocaleString("en-US")} instructions, over the ${MAX_POLICY_PATTERN_SIZE.toLocaleString("en-US")} a policy may have in all: use fewer or smaller patterns (each \`{n}\` repeats what it follows n times).`,
      );
    }
  }

  /** `where` is the argument as people write it: `amount`, `options.mode`, `recipients[]`. */
  constraint(schema: unknown, path: string, where: string): void {
    const label = `\`${where}\``;
    if (!isPlainObject(schema)) {
      const extra = typeof schema === "boolean" ? " (true and false schemas are not supported)" : "";
      this.add(path, "type", `The constraint on ${label} must be an object of JSON Schema keywords such as {"maxLength": 100}; got ${showTyped(schema)}${extra}.`);
      return;
    }
    for (const [keyword, value] of Object.entries(schema)) {
      const at = pointerChild(path, keyword);
      const name = `\`${keyword}\` on ${label}`;
      switch (keyword) {
        case "type": {
          const types = Array.isArray(value) ? value : [value];
          const bad = types.filter((t) => typeof t !== "string" || !(JSON_TYPES as readonly string[]).includes(t));
          if (bad.length > 0 || types.length === 0) {
            this.add(at, "invalid_value", `${name} must be one of ${JSON_TYPES.join(", ")} (or an array of them); got ${showValue(bad.length > 0 ? bad[0] : value)}.`);
          } else if (new Set(types).size !== types.length) this.add(at, "invalid_value", `${name} lists the same type twice.`);
          break;
        }
        case "enum":
          if (!Array.isArray(value) || value.length === 0) this.add(at, "type", `${name} must be a non-empty array of allowed values; got ${showTyped(value)}.`);
          break;
        case "const":
          break;
        case "pattern":
          if (typeof value !== "string") this.add(at, "type", `${name} must be a regular expression in a string; got ${showTyped(value)}.`);
          else this.regularExpression(value, at, name);
          break;
        case "minimum":
        case "maximum":
        case "exclusiveMinimum":
        case "exclusiveMaximum":
          if (typeof value !== "number" || !Number.isFinite(value)) this.add(at, "type", `${name} must be a number; got ${showTyped(value)}.`);
          break;
        case "multipleOf":
          if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
            this.add(at, "invalid_value", `${name} must be a number greater than 0; got ${showTyped(value)}.`);
          }
          break;
        case "minLength":
        case "maxLength":
        case "minItems":
        case "maxItems":
          this.wholeNumber(value, at, name, 0);
          break;
        case "uniqueItems":
          if (typeof value !== "boolean") this.add(at, "type", `${name} must be true or false; got ${showTyped(value)}.`);
          break;
        case "items":
          this.constraint(value, at, `${where}[]`);
          break;
        case "properties":
          if (!isPlainObject(value)) this.add(at, "type", `${name} must be an object from property names to constraints; got ${showTyped(value)}.`);
          else {
            for (const [prop, sub] of Object.entries(value)) {
              if (prop === "__proto__") this.add(pointerChild(at, prop), "invalid_value", UNCHECKABLE_PROTO);
              this.constraint(sub, pointerChild(at, prop), `${where}.${prop}`);
            }
          }
          break;
        case "required":
          if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
            this.add(at, "type", `${name} must be an array of property names; got ${showTyped(value)}.`);
          } else if (new Set(value).size !== value.length) this.add(at, "invalid_value", `${name} lists the same property twice.`);
          else if (value.includes("__proto__")) this.add(at, "invalid_value", UNCHECKABLE_PROTO);
          break;
        case "additionalProperties":
          if (typeof value !== "boolean") this.constraint(value, at, `${where}.*`);
          break;
        default: {
          const hint = UNSUPPORTED_KEYWORD_HINTS[keyword];
          const guess = closest(keyword, CONSTRAINT_KEYWORDS);
          this.add(
            at,
            "unknown_key",
            hint ??
              `Unknown constraint keyword \`${keyword}\` on ${label}.${guess ? ` Did you mean \`${guess}\`?` : ""} Allowed: ${CONSTRAINT_KEYWORDS.join(", ")}.`,
          );
        }
      }
    }
  }

  tests(tests: unknown): void {
    if (!Array.isArray(tests)) {
      this.add("/tests", "type", `\`tests\` must be an array of example calls such as [{"tool": "delete_file", "expect": "deny"}]; got ${showTyped(tests)}.`);
      return;
    }
    tests.forEach((test, i) => {
      const path = pointerChild("/tests", i);
      if (!isPlainObject(test)) {
        this.add(path, "type", `Each test must be an object with at least \`tool\` and \`expect\`; got ${showTyped(test)}.`);
        return;
      }
      this.unknownKeys(test, path, TEST_KEYS, "a test");
      if (!has(test, "tool")) this.add(pointerChild(path, "tool"), "required", "This test has no `tool`: name the tool the example calls.");
      else if (typeof test.tool !== "string" || test.tool === "") {
        this.add(pointerChild(path, "tool"), "type", `\`tool\` must be a tool name; got ${showTyped(test.tool)}.`);
      }
      if (!has(test, "expect")) {
        this.add(pointerChild(path, "expect"), "required", `This test has no \`expect\`: give the decision the call must get (${listOr([...DECISIONS])}).`);
      } else this.oneOf(test.expect, pointerChild(path, "expect"), "expect", DECISIONS);
      if (has(test, "name") && typeof test.name !== "string") this.add(pointerChild(path, "name"), "type", `\`name\` must be a string; got ${showTyped(test.name)}.`);
      if (has(test, "args") && !isPlainObject(test.args)) {
        this.add(pointerChild(path, "args"), "type", `\`args\` must be an object of the call's arguments; got ${showTyped(test.args)}.`);
      }
      if (has(test, "grant") && (typeof test.grant !== "string" || test.grant === "")) {
        this.add(pointerChild(path, "grant"), "type", `\`grant\` must be a grant id in a string; got ${showTyped(test.grant)}.`);
      }
      if (has(test, "usage")) {
        const at = pointerChild(path, "usage");
        if (!isPlainObject(test.usage)) {
          this.add(at, "type", `\`usage\` must be an object from counter names to calls already made, such as {"calls": 10}; got ${showTyped(test.usage)}.`);
        } else {
          for (const [counter, count] of Object.entries(test.usage)) {
            const countAt = pointerChild(at, counter);
            if (this.wholeNumber(count, countAt, `The usage of \`${counter}\``, 0) && !this.counters.has(counter)) {
              const guess = closest(counter, this.counters.keys());
              this.add(countAt, "unknown_counter", `No rule of this policy has a counter named \`${counter}\`.${guess ? ` Did you mean \`${guess}\`?` : ""}`);
            }
          }
        }
      }
    });
  }
}

const LIMIT_FIELD_VALID: Record<"window" | "max" | "scope", (value: unknown) => boolean> = {
  window: (v) => (LIMIT_WINDOWS as readonly unknown[]).includes(v),
  max: (v) => typeof v === "number" && Number.isSafeInteger(v) && v >= 1,
  scope: (v) => (LIMIT_SCOPES as readonly unknown[]).includes(v),
};

const LIMIT_FIELD_HELP: Record<(typeof LIMIT_KEYS)[number], string> = {
  counter: "give the counter a name (rules naming the same counter share its budget)",
  window: `add the window, one of ${LIMIT_WINDOWS.join(", ")}`,
  max: "add the number of calls allowed per window",
  scope: 'add "scope": "grant" to count each key apart, or "server" to count all keys together',
};

/** Checks a parsed JSON value against the policy language v1 and returns every error found, never throwing. */
export function validatePolicy(input: unknown): PolicyValidation {
  const checker = new Checker();
  // Policies are stored as jsonb, which refuses U+0000 and unpaired surrogates: each such place is an error here.
  for (const place of listUnstorable(input, { max: 20 })) {
    const pointer = place.path.reduce<string>((p, segment) => pointerChild(p, segment), "");
    checker.add(pointer, "unstorable_text", `${place.inKey ? "This key" : "This text"} holds ${describeUnstorable(place.reason)}, which cannot be saved: remove it.`);
  }
  checker.document(input);
  if (checker.errors.length > 0) return { ok: false, errors: checker.errors };
  const document = input as unknown as PolicyDocument;
  // `tools` may be left out (a policy that only has a default); the rest of the code can count on it.
  return { ok: true, document: document.tools === undefined ? { ...document, tools: {} } : document, errors: [] };
}
