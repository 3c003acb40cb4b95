// What an agent sees of a tool under a policy: tools it may never call are hidden, and the others carry the rule's
// argument constraints in their input schema and a plain-language note in their description, so the model can
// follow the rules instead of discovering them by being refused.
import { canonicalJson } from "@/lib/policy/canonical-json";
import type { CompiledPolicy, CompiledRule } from "@/lib/policy/compile";
import { isPlainObject } from "@/lib/json/is-plain-object";
import { asSentence, listOr, showValue, JSON_TYPE_WORDS } from "@/lib/policy/describe";
import { MAX_TOOL_NAME_LENGTH } from "@/lib/policy/glob";
import type { ArgConstraint, JsonType } from "@/lib/policy/types";

type Schema = Record<string, unknown>;

/** The part of an MCP tool this module reads; other fields are passed through untouched. */
export interface ToolListing {
  name: string;
  description?: string;
  inputSchema: Schema;
}

const LOWER_BOUNDS = new Set(["minimum", "exclusiveMinimum", "minLength", "minItems"]);
const UPPER_BOUNDS = new Set(["maximum", "exclusiveMaximum", "maxLength", "maxItems"]);

function typesOf(value: unknown): JsonType[] | undefined {
  if (typeof value === "string") return [value as JsonType];
  if (Array.isArray(value)) return value.filter((t): t is JsonType => typeof t === "string");
  return undefined;
}

function intersectTypes(a: JsonType[], b: JsonType[]): JsonType[] {
  const out = new Set<JsonType>();
  for (const t of a) {
    if (b.includes(t)) out.add(t);
    else if (t === "integer" && b.includes("number")) out.add("integer");
    else if (t === "number" && b.includes("integer")) out.add("integer");
  }
  return [...out];
}

/** Adds `constraint` to a copy of `base` so the result allows only what both allow. */
export function mergeConstraint(base: unknown, constraint: ArgConstraint): Schema {
  const result: Schema = isPlainObject(base) ? { ...base } : {};
  const conflicts: Schema[] = [];
  for (const [keyword, value] of Object.entries(constraint) as [keyof ArgConstraint, unknown][]) {
    const current = result[keyword];
    if (current === undefined) {
      result[keyword] = structuredClone(value);
      continue;
    }
    if (LOWER_BOUNDS.has(keyword) && typeof current === "number" && typeof value === "number") {
      result[keyword] = Math.max(current, value);
    } else if (UPPER_BOUNDS.has(keyword) && typeof current === "number" && typeof value === "number") {
      result[keyword] = Math.min(current, value);
    } else if (keyword === "uniqueItems") {
      result[keyword] = current === true || value === true;
    } else if (keyword === "required" && Array.isArray(current) && Array.isArray(value)) {
      result[keyword] = [...new Set([...current, ...value])];
    } else if (keyword === "enum" && Array.isArray(current) && Array.isArray(value)) {
      const allowed = new Set(value.map(canonicalJson));
      const both = current.filter((v) => allowed.has(canonicalJson(v)));
      if (both.length > 0) result[keyword] = both;
      else conflicts.push({ enum: value });
    } else if (keyword === "type") {
      const a = typesOf(current);
      const b = typesOf(value);
      const both = a && b ? intersectTypes(a, b) : [];
      if (both.length > 0) result[keyword] = both.length === 1 ? both[0] : both;
      else conflicts.push({ type: value });
    } else if (keyword === "multipleOf" && typeof current === "number" && typeof value === "number") {
      if (current % value === 0) continue;
      if (value % current === 0) result[keyword] = value;
      else conflicts.push({ multipleOf: value });
    } else if (keyword === "items" && isPlainObject(value)) {
      result[keyword] = mergeConstraint(current, value as ArgConstraint);
    } else if (keyword === "properties" && isPlainObject(current) && isPlainObject(value)) {
      const properties: Schema = { ...current };
      for (const [prop, sub] of Object.entries(value)) properties[prop] = mergeConstraint(current[prop], sub as ArgConstraint);
      result[keyword] = properties;
    } else if (keyword === "additionalProperties") {
      if (current === false || value === false) result[keyword] = false;
      else if (value === true) continue;
      else result[keyword] = mergeConstraint(current, value as ArgConstraint);
    } else if (canonicalJson(current) !== canonicalJson(value)) {
      // Two patterns, two consts...: JSON Schema applies every allOf entry, so both hold.
      conflicts.push({ [keyword]: structuredClone(value) });
    }
  }
  if (conflicts.length > 0) result.allOf = [...(Array.isArray(result.allOf) ? result.allOf : []), ...conflicts];
  return result;
}

/** A tool's input schema with a rule's argument constraints merged into its properties (the input is not changed). */
export function narrowInputSchema(inputSchema: Schema, args: Readonly<Record<string, ArgConstraint>>): Schema {
  const properties: Schema = isPlainObject(inputSchema.properties) ? { ...inputSchema.properties } : {};
  for (const [arg, constraint] of Object.entries(args)) {
    // An argument the tool does not accept stays unaccepted: adding it would widen the schema.
    if (!Object.hasOwn(properties, arg) && inputSchema.additionalProperties === false) continue;
    properties[arg] = mergeConstraint(properties[arg], constraint);
  }
  return { ...inputSchema, properties };
}


/** A constraint in words: "`amount`: a whole number, at most 100". */
export function describeConstraint(where: string, c: ArgConstraint): string[] {
  const parts: string[] = [];
  const types = typesOf(c.type);
  if (types) parts.push(listOr(types.map((t) => JSON_TYPE_WORDS[t] ?? t)));
  if (c.const !== undefined) parts.push(`exactly ${showValue(c.const)}`);
  if (c.enum) parts.push(`one of ${c.enum.map(showValue).join(", ")}`);
  if (c.pattern !== undefined) parts.push(`matching the regular expression \`${c.pattern}\``);
  if (c.minimum !== undefined) parts.push(`at least ${c.minimum}`);
  if (c.exclusiveMinimum !== undefined) parts.push(`more than ${c.exclusiveMinimum}`);
  if (c.maximum !== undefined) parts.push(`at most ${c.maximum}`);
  if (c.exclusiveMaximum !== undefined) parts.push(`less than ${c.exclusiveMaximum}`);
  if (c.multipleOf !== undefined) parts.push(`a multiple of ${c.multipleOf}`);
  if (c.minLength !== undefined) parts.push(`at least ${c.minLength} characters`);
  if (c.maxLength !== undefined) parts.push(`at most ${c.maxLength} characters`);
  if (c.minItems !== undefined) parts.push(`at least ${c.minItems} items`);
  if (c.maxItems !== undefined) parts.push(`at most ${c.maxItems} items`);
  if (c.uniqueItems) parts.push("no repeated items");
  if (c.required && c.required.length > 0) parts.push(`must have ${c.required.map((r) => `\`${r}\``).join(", ")}`);
  if (c.additionalProperties === false) parts.push("no other properties");
  const lines = parts.length > 0 ? [`\`${where}\`: ${parts.join(", ")}`] : [];
  if (c.items) lines.push(...describeConstraint(`${where}[]`, c.items));
  for (const [prop, sub] of Object.entries(c.properties ?? {})) lines.push(...describeConstraint(`${where}.${prop}`, sub));
  if (isPlainObject(c.additionalProperties)) lines.push(...describeConstraint(`${where}.*`, c.additionalProperties as ArgConstraint));
  return lines;
}

/** The rule in sentences an agent can follow, one per line (empty when the rule restricts nothing). */
export function describeRule(rule: CompiledRule): string[] {
  const lines: string[] = [];
  for (const [arg, constraint] of Object.entries(rule.args ?? {})) lines.push(...describeConstraint(arg, constraint));
  for (const limit of rule.limits) {
    const per = limit.scope === "grant" ? "for each key" : "for this server across all keys";
    lines.push(`At most ${limit.max} ${limit.max === 1 ? "call" : "calls"} per ${limit.window} ${per}.`);
  }
  if (rule.action === "require_approval") lines.push("Each call waits for a person's approval.");
  if (rule.reason && lines.length > 0) lines.push(asSentence(rule.reason));
  return lines;
}

/** A tool narrowed by a rule: constrained input schema, description with the policy appended. */
export function narrowTool<T extends ToolListing>(tool: T, rule: CompiledRule | null): T {
  if (!rule) return tool;
  const lines = describeRule(rule);
  if (lines.length === 0) return tool;
  const note = `Policy:\n${lines.map((l) => `- ${l}`).join("\n")}`;
  return {
    ...tool,
    description: tool.description ? `${tool.description}\n\n${note}` : note,
    inputSchema: rule.args ? narrowInputSchema(tool.inputSchema, rule.args) : tool.inputSchema,
  };
}

/** How a tool is listed to an agent under a policy, or null when the policy never lets it be called. */
export function presentTool<T extends ToolListing>(compiled: CompiledPolicy, tool: T): T | null {
  // Its calls are refused unmatched (evaluate), so it is not listed.
  if (tool.name.length > MAX_TOOL_NAME_LENGTH) return null;
  const rule = compiled.match(tool.name);
  if (rule === null) return compiled.defaultAction === "allow" ? tool : null;
  if (rule.action === "deny") return null;
  return narrowTool(tool, rule);
}
