// A tool's arguments as the policy editor needs them: which constraint fields fit each one (builder), and a small
// form to fill them in (simulator). The input schema comes from a remote server, so every field is checked.
import type { JsonValue } from "@/lib/policy";
import { isPlainObject } from "@/lib/json/is-plain-object";

export type ArgumentKind = "string" | "number" | "integer" | "boolean" | "enum" | "json";

export interface ToolArgument {
  name: string;
  kind: ArgumentKind;
  required: boolean;
  description: string | null;
  /** The values the schema allows, for `enum` arguments. */
  options: JsonValue[];
}

type Schema = Record<string, unknown>;

function kindOf(schema: Schema): ArgumentKind {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return "enum";
  const type = Array.isArray(schema.type) ? schema.type.filter((t) => t !== "null") : [schema.type];
  if (type.length !== 1) return "json";
  const only = type[0];
  if (only === "string" || only === "number" || only === "integer" || only === "boolean") return only;
  return "json";
}

/** The arguments an input schema declares, in its order. */
export function toolArguments(inputSchema: unknown): ToolArgument[] {
  if (!isPlainObject(inputSchema) || !isPlainObject(inputSchema.properties)) return [];
  const required = new Set(Array.isArray(inputSchema.required) ? inputSchema.required.filter((r): r is string => typeof r === "string") : []);
  return Object.entries(inputSchema.properties).map(([name, raw]) => {
    const schema = isPlainObject(raw) ? raw : {};
    const description = typeof schema.description === "string" && schema.description.trim() ? schema.description.trim() : null;
    return { name, kind: kindOf(schema), required: required.has(name), description, options: Array.isArray(schema.enum) ? (schema.enum as JsonValue[]) : [] };
  });
}

/** The type an enum argument's values share, so its constraint fields can be chosen like a plain argument's. */
export function valueKind(argument: ToolArgument): ArgumentKind {
  if (argument.kind !== "enum") return argument.kind;
  if (argument.options.every((v) => typeof v === "string")) return "string";
  if (argument.options.every((v) => typeof v === "number")) return "number";
  return "json";
}

export type FormValues = Readonly<Record<string, string>>;
export type ArgsResult = { ok: true; args: Record<string, JsonValue> } | { ok: false; errors: Record<string, string> };

/** The call's arguments from the simulator's form; empty fields are left out, as an agent would leave them out. */
export function argsFromForm(fields: readonly ToolArgument[], values: FormValues): ArgsResult {
  const args: Record<string, JsonValue> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const raw = values[field.name] ?? "";
    if (raw === "") continue;
    let value: JsonValue | undefined;
    if (field.kind === "string") value = raw;
    else if (field.kind === "number" || field.kind === "integer") {
      const number = Number(raw.trim());
      if (raw.trim() === "" || !Number.isFinite(number)) errors[field.name] = "Enter a number, such as 42 or 2.5.";
      else value = number;
    } else if (field.kind === "boolean") value = raw === "true";
    else {
      try {
        value = JSON.parse(raw) as JsonValue;
      } catch {
        if (field.kind === "enum") value = raw;
        else errors[field.name] = 'Enter a JSON value, such as "text", 3, ["a", "b"] or {"key": 1}.';
      }
    }
    if (value !== undefined) Object.defineProperty(args, field.name, { value, enumerable: true, writable: true, configurable: true });
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, args };
}

/** Arguments typed as one JSON object. */
export function argsFromJson(text: string): { ok: true; args: Record<string, JsonValue> } | { ok: false; error: string } {
  if (text.trim() === "") return { ok: true, args: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `The arguments are not valid JSON: ${(error as Error).message}` };
  }
  if (!isPlainObject(value)) return { ok: false, error: 'The arguments must be one JSON object, such as {"message": "hello"}.' };
  return { ok: true, args: value as Record<string, JsonValue> };
}

/** Splits "a, b, c" into values of the argument's kind; null when one of them does not fit. */
export function parseValueList(text: string, kind: ArgumentKind): JsonValue[] | null {
  const parts = text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (kind === "number" || kind === "integer") {
    const numbers = parts.map(Number);
    return numbers.every((n) => Number.isFinite(n) && (kind === "number" || Number.isInteger(n))) ? numbers : null;
  }
  return parts;
}

/** The reverse of parseValueList, or null when the values cannot be written that way (commas, other types). */
export function formatValueList(values: readonly JsonValue[], kind: ArgumentKind): string | null {
  if (kind === "number" || kind === "integer") return values.every((v) => typeof v === "number") ? values.join(", ") : null;
  const fits = values.every((v) => typeof v === "string" && !v.includes(",") && v.trim() === v && v !== "");
  return fits ? values.join(", ") : null;
}
