import {
  ARGUMENT_ROLE_EXCEPTIONS,
  ARGUMENT_ROLES,
  ARGUMENT_SUFFIXES,
  CODE_ARGUMENT_QUALIFIERS,
  FREE_FORM_ROLES,
  SEARCH_QUERY_WORDS,
  SQL_DESCRIPTION_WORDS,
  type ArgumentRole,
} from "@/lib/risk/signals";
import { lookUp, tokenizeName, tokenizeText } from "@/lib/risk/tokenize";
import { isPlainObject } from "@/lib/json/is-plain-object";

// Reads a tool's input schema for arguments that reveal what it can do (`command`, `amount`, `to`). Schemas come
// from remote servers, so anything that is not the expected shape is skipped rather than trusted.

export interface ArgumentFinding {
  /** The argument's name as the schema spells it (`params.command` when nested). */
  name: string;
  role: ArgumentRole;
  /** The argument's own description, where the schema gives one (the first 500 characters). */
  description?: string;
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
  if (role === "code" && previous !== undefined && !CODE_ARGUMENT_QUALIFIERS.has(previous)) role = undefined;
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
  // A `query` whose own description calls it search text or a PromQL filter is not a statement; one that names SQL is.
  if (role === "query" && typeof schema.description === "string") {
    const described = tokenizeText(schema.description.slice(0, 500));
    if (!described.some((word) => SQL_DESCRIPTION_WORDS.has(word)) && described.some((word) => SEARCH_QUERY_WORDS.has(word))) return undefined;
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
    if (role) findings.push({ name, role, ...(typeof property.description === "string" ? { description: property.description.slice(0, 500) } : {}) });
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

/** Argument names that pick one of several operations: `operation: "list" | "create" | "delete"`. */
const OPERATION_ARGUMENTS: readonly string[] = ["operation", "op", "action", "mode", "subcommand", "command", "method"];

/** The string values an argument is limited to: `enum`, or `const` alternatives under `anyOf` / `oneOf`. */
function allowedValues(schema: Record<string, unknown>): string[] {
  if (Array.isArray(schema.enum)) return schema.enum.filter((value): value is string => typeof value === "string");
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      return options.flatMap((option) => (isPlainObject(option) && typeof option.const === "string" ? [option.const] : []));
    }
  }
  return [];
}

export interface OperationsFinding {
  /** The argument's name as the schema spells it. */
  name: string;
  /** The first word of each allowed value (`create_table` gives `create`), as the server spells them. */
  words: string[];
}

/**
 * A top-level argument that picks the operation, with the operations it allows: tools that bundle list, create and
 * delete behind one name say so here rather than in their name.
 */
export function findOperations(inputSchema: unknown): OperationsFinding | undefined {
  if (!isPlainObject(inputSchema) || !isPlainObject(inputSchema.properties)) return undefined;
  let found: (OperationsFinding & { rank: number }) | undefined;
  for (const [name, schema] of Object.entries(inputSchema.properties).slice(0, 256)) {
    if (!isPlainObject(schema)) continue;
    // `operation` before `command`: `pg_manage_rls` has both, and its `command` lists the SQL commands a policy covers.
    const rank = OPERATION_ARGUMENTS.indexOf(tokenizeName(name).join(""));
    if (rank === -1 || (found && found.rank <= rank)) continue;
    const values = allowedValues(schema).slice(0, 64);
    if (values.length < 2) continue;
    found = { name, rank, words: values.map((value) => tokenizeName(value)[0] ?? "").filter(Boolean) };
  }
  return found && { name: found.name, words: found.words };
}

/** Words that, in a switch's name, say turning it on deletes data too: `truncateFirst`, `dropTarget`. */
const DELETING_SWITCH_WORDS: ReadonlySet<string> = new Set(["truncate", "drop", "purge", "wipe", "destroy"]);

/** A boolean argument whose name says it makes the call delete data as well (`truncateFirst`, `dropTarget`). */
export function findDeletingSwitch(inputSchema: unknown): string | undefined {
  if (!isPlainObject(inputSchema) || !isPlainObject(inputSchema.properties)) return undefined;
  for (const [name, schema] of Object.entries(inputSchema.properties).slice(0, 256)) {
    if (!isPlainObject(schema) || !typesOf(schema).includes("boolean")) continue;
    if (tokenizeName(name).some((word) => DELETING_SWITCH_WORDS.has(word))) return name;
  }
  return undefined;
}

/** A boolean argument that lets the call replace what is already there (`overwrite`, `overwriteExisting`). */
export function findOverwritingSwitch(inputSchema: unknown): string | undefined {
  if (!isPlainObject(inputSchema) || !isPlainObject(inputSchema.properties)) return undefined;
  for (const [name, schema] of Object.entries(inputSchema.properties).slice(0, 256)) {
    if (!isPlainObject(schema) || !typesOf(schema).includes("boolean")) continue;
    if (tokenizeName(name).some((word) => word === "overwrite" || word === "clobber")) return name;
  }
  return undefined;
}

/** Words in a switch's name that say it shows values otherwise hidden: `revealEnvValues`, `includeSecrets`. */
const REVEALING_WORDS: ReadonlySet<string> = new Set(["reveal", "decrypt", "unmask", "plaintext", "show", "include", "with", "expose"]);
const REVEALED_WORDS: ReadonlySet<string> = new Set([
  "secret", "secrets", "password", "passwords", "credential", "credentials", "env", "token", "tokens", "value", "values",
]);

/** A boolean argument whose name says turning it on returns secrets (`revealEnvParams`, `includeSecretValues`). */
export function findRevealingSwitch(inputSchema: unknown): string | undefined {
  if (!isPlainObject(inputSchema) || !isPlainObject(inputSchema.properties)) return undefined;
  for (const [name, schema] of Object.entries(inputSchema.properties).slice(0, 256)) {
    if (!isPlainObject(schema) || !typesOf(schema).includes("boolean")) continue;
    const words = tokenizeName(name);
    const reveals = words.some((word) => REVEALING_WORDS.has(word));
    // `revealEnvParams` names what it reveals by `env`; `showValues` alone reveals only with a secret word beside it.
    const secret = words.some((word) => REVEALED_WORDS.has(word) && word !== "value" && word !== "values");
    const strongVerb = words.some((word) => word === "reveal" || word === "decrypt" || word === "unmask" || word === "plaintext");
    // `withDecryption`: what is decrypted was stored encrypted because it is a secret.
    const decrypts = words.some((word) => word === "decrypt" || word === "decryption" || word === "decrypted");
    if (decrypts || (reveals && (secret || (strongVerb && words.some((word) => REVEALED_WORDS.has(word)))))) return name;
  }
  return undefined;
}
