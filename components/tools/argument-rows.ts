// Turns a tool's JSON Schema `inputSchema` into rows a person can read: each argument's type, whether it is
// required, what it is for and the limits the schema puts on it. The schema comes from a remote server, so every
// field is checked before it is used.
import { isPlainObject } from "@/lib/json/is-plain-object";

export interface ArgumentRow {
  name: string;
  type: string;
  required: boolean;
  description: string | null;
  constraints: string[];
}

type Schema = Record<string, unknown>;

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function schemaType(schema: Schema): string {
  const { type } = schema;
  if (Array.isArray(type)) return type.filter((t) => typeof t === "string").join(" | ") || "any";
  if (type === "array") {
    const items = isPlainObject(schema.items) ? schemaType(schema.items) : "any";
    return items === "any" ? "array" : `array of ${items}`;
  }
  if (typeof type === "string") return type;
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const types = [...new Set(options.filter(isPlainObject).map(schemaType))];
      if (types.length) return types.join(" | ");
    }
  }
  if (Array.isArray(schema.enum)) return "enum";
  if ("const" in schema) return "constant";
  return "any";
}

const LIMITS: [key: string, label: string][] = [
  ["minimum", "Minimum"],
  ["exclusiveMinimum", "More than"],
  ["maximum", "Maximum"],
  ["exclusiveMaximum", "Less than"],
  ["minLength", "At least {} characters"],
  ["maxLength", "At most {} characters"],
  ["minItems", "At least {} items"],
  ["maxItems", "At most {} items"],
  ["format", "Format"],
  ["pattern", "Pattern"],
];

export function schemaConstraints(schema: Schema): string[] {
  const constraints: string[] = [];
  const values = Array.isArray(schema.enum) ? schema.enum : isPlainObject(schema.items) && Array.isArray(schema.items.enum) ? schema.items.enum : null;
  if (values) {
    const shown = values.slice(0, 12).map(show).join(", ");
    constraints.push(`One of: ${shown}${values.length > 12 ? `, and ${values.length - 12} more` : ""}`);
  }
  if ("const" in schema) constraints.push(`Always ${show(schema.const)}`);
  for (const [key, label] of LIMITS) {
    const value = schema[key];
    if (typeof value !== "number" && typeof value !== "string") continue;
    constraints.push(label.includes("{}") ? label.replace("{}", String(value)) : `${label}: ${value}`);
  }
  if ("default" in schema) constraints.push(`Default: ${show(schema.default)}`);
  return constraints;
}

export function argumentRows(inputSchema: unknown): ArgumentRow[] {
  if (!isPlainObject(inputSchema) || !isPlainObject(inputSchema.properties)) return [];
  const required = new Set(Array.isArray(inputSchema.required) ? inputSchema.required.filter((r) => typeof r === "string") : []);
  return Object.entries(inputSchema.properties).map(([name, raw]) => {
    const schema = isPlainObject(raw) ? raw : {};
    const description = typeof schema.description === "string" && schema.description.trim() ? schema.description.trim() : null;
    return { name, type: schemaType(schema), required: required.has(name), description, constraints: schemaConstraints(schema) };
  });
}
