import {
  ARGUMENT_ROLE_EXCEPTIONS,
  ARGUMENT_ROLES,
  ARGUMENT_SUFFIXES,
  FREE_FORM_ROLES,
  type ArgumentRole,
} from "@/lib/risk/signals";
import { lookUp, tokenizeName } from "@/lib/risk/tokenize";
import { isPlainObject } from "@/lib/json/is-plain-object";

// Reads a tool's input schema for arguments that reveal what it can do (`command`, `amount`, `to`). Schemas come
// from remote servers, so anything that is not the expected shape is skipped rather than trusted.

export interface ArgumentFinding {
  /** The argument's name as the schema spells it (`params.command` when nested). */
  name: string;
  role: ArgumentRole;
}

const ROLE_TABLE: ReadonlyMap<string, ArgumentRole> = new Map(Object.entries(ARGUMENT_ROLES));
const TEXT_ROLES: ReadonlySet<ArgumentRole> = new Set(["sql", "query", "code", "script"]);

function typesOf(schema: Record<string, unknown>): string[] {
  const { type } = schema;
  if (typeof type === "string") return [type];
  return Array.isArray(type) ? type.filter((entry): entry is string => typeof entry === "string") : [];
}

/** The role a name gives, before the schema is consulted; memoized, since servers reuse argument names. */
const roleMemo = new Map<string, ArgumentRole | null>();

function roleOfName(name: string): ArgumentRole | undefined {
  const memo = roleMemo.get(name);
  if (memo !== undefined) return memo ?? undefined;
  const words = tokenizeName(name);
  let position = words.length - 1;
  if (position > 0 && ARGUMENT_SUFFIXES.has(words[position] ?? "")) position -= 1;
  const last = words[position];
  let role = last === undefined ? undefined : lookUp(ROLE_TABLE, last)?.entry;
  const previous = words[position - 1];
  if (role !== undefined && previous !== undefined && ARGUMENT_ROLE_EXCEPTIONS[role]?.includes(previous)) role = undefined;
  if (roleMemo.size >= 10_000) roleMemo.clear();
  roleMemo.set(name, role ?? null);
  return role;
}

/** The role an argument's name gives it: its last word, or the one before a spelling suffix (`policy_document`). */
export function argumentRole(name: string, schema: Record<string, unknown> = {}): ArgumentRole | undefined {
  const role = roleOfName(name);
  if (role === undefined) return undefined;
  if (FREE_FORM_ROLES.has(role) && ("enum" in schema || "const" in schema)) return undefined;
  // Statements are text: a MongoDB `query` object or a numeric `code` is something else.
  if (TEXT_ROLES.has(role)) {
    const types = typesOf(schema);
    if (types.length > 0 && !types.includes("string")) return undefined;
  }
  // A flag like `force` only widens a call when it is a switch; `force: "north"` is something else.
  if (role === "force") {
    const types = typesOf(schema);
    return types.length === 0 || types.includes("boolean") ? role : undefined;
  }
  return role;
}

/** Every argument with a role, top-level first, then one level into object-typed arguments. */
export function findArguments(inputSchema: unknown): ArgumentFinding[] {
  if (!isPlainObject(inputSchema) || !isPlainObject(inputSchema.properties)) return [];
  const findings: ArgumentFinding[] = [];
  const nested: [string, Record<string, unknown>][] = [];
  for (const [name, schema] of Object.entries(inputSchema.properties)) {
    const property = isPlainObject(schema) ? schema : {};
    const role = argumentRole(name, property);
    if (role) findings.push({ name, role });
    if (isPlainObject(property.properties)) nested.push([name, property.properties]);
  }
  for (const [parent, properties] of nested) {
    for (const [name, schema] of Object.entries(properties)) {
      const role = argumentRole(name, isPlainObject(schema) ? schema : {});
      if (role) findings.push({ name: `${parent}.${name}`, role });
    }
  }
  return findings;
}
