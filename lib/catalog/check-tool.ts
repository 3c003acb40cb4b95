import { cleanJson } from "@/lib/catalog/clean-json";
import { clampText, cleanLine, cleanProse, hasHiddenCharacters } from "@/lib/catalog/clean-text";
import { IssueList, type CatalogIssue } from "@/lib/catalog/issues";
import { MAX_ARGUMENT_NAMES, MAX_DESCRIPTION_LENGTH, MAX_SCHEMA_BYTES, MAX_TITLE_LENGTH, MAX_TOOL_NAME_LENGTH } from "@/lib/catalog/limits";
import { untrustedTextNotes } from "@/lib/catalog/untrusted-text-notes";
import { listedDefinitionHash } from "@/lib/catalog/listed-definition";
import { isPlainObject } from "@/lib/json/is-plain-object";

// One tool of a listing, checked and cleaned: kept with what was changed and why, or refused with the reason.

export interface CheckedTool {
  name: string;
  title: string | null;
  description: string | null;
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown> | null;
  annotations: Record<string, unknown> | null;
  argumentNames: string[];
  /**
   * SHA-256 of the definition as listed (before cleaning), over the fields in LISTED_TOOL_KEYS: compare a registered
   * server's live tool with listedDefinitionHash, not with its own definitionHash (which covers every field).
   */
  definitionSha256: string;
  issues: CatalogIssue[];
}

export function checkTool(raw: unknown): { ok: true; tool: CheckedTool } | { ok: false; reason: string } {
  if (!isPlainObject(raw)) return { ok: false, reason: "It is not an object." };
  const name = raw.name;
  if (typeof name !== "string" || name.length === 0) return { ok: false, reason: "It has no name." };
  if (name.length > MAX_TOOL_NAME_LENGTH) {
    return { ok: false, reason: `Its name is ${name.length} characters long; at most ${MAX_TOOL_NAME_LENGTH} are accepted.` };
  }
  if (name.trim() !== name) {
    return { ok: false, reason: `Its name ${JSON.stringify(name)} starts or ends with a space, which could make it look like another tool.` };
  }
  if (hasHiddenCharacters(name)) {
    return { ok: false, reason: `Its name ${JSON.stringify(name)} holds control or invisible characters, which could make it look like another tool.` };
  }

  const issues = new IssueList();

  const annotations = objectField(raw.annotations, "annotations", issues);
  const titleSource = typeof raw.title === "string" ? raw.title : typeof annotations?.title === "string" ? annotations.title : null;
  if (raw.title !== undefined && typeof raw.title !== "string") issues.add("title", "The title is not text; it was left out.");
  let title: string | null = null;
  if (titleSource !== null) {
    const cleaned = cleanLine(titleSource);
    title = text(cleaned.text, "title", MAX_TITLE_LENGTH, issues, cleaned.changed);
  }

  let description: string | null = null;
  if (typeof raw.description === "string") {
    const cleaned = cleanProse(raw.description);
    description = text(cleaned.text, "description", MAX_DESCRIPTION_LENGTH, issues, cleaned.changed);
    for (const note of untrustedTextNotes(cleaned.text)) issues.add("description", note);
  } else if (raw.description !== undefined) {
    issues.add("description", "The description is not text; it was left out.");
  }

  let inputSchema = objectField(raw.inputSchema, "inputSchema", issues);
  if (!inputSchema) {
    if (raw.inputSchema === undefined) issues.add("inputSchema", "It has no input schema; an empty object schema stands in.");
    inputSchema = { type: "object" };
  }
  const outputSchema = objectField(raw.outputSchema, "outputSchema", issues);

  return {
    ok: true,
    tool: {
      name,
      title,
      description,
      inputSchema,
      outputSchema,
      annotations,
      argumentNames: argumentNames(inputSchema),
      definitionSha256: listedDefinitionHash({ ...raw, name }),
      issues: issues.list,
    },
  };
}

/** An optional object field, cleaned; anything else (or one too large or too deep) is left out with the reason. */
function objectField(value: unknown, path: string, issues: IssueList): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (!isPlainObject(value)) {
    issues.add(path, `It is not a JSON object; it was left out.`);
    return null;
  }
  const cleaned = cleanJson(value);
  if (cleaned.tooDeep) {
    issues.add(path, "It nests too deeply (over 64 levels); it was left out.");
    return null;
  }
  const bytes = Buffer.byteLength(JSON.stringify(cleaned.value));
  if (bytes > MAX_SCHEMA_BYTES) {
    issues.add(path, `It is ${Math.round(bytes / 1024)} KB, over the ${MAX_SCHEMA_BYTES / 1024} KB allowed; it was left out.`);
    return null;
  }
  if (cleaned.changed) issues.add(path, "Control or invisible characters were removed from it.");
  return cleaned.value as Record<string, unknown>;
}

function text(value: string, path: string, max: number, issues: IssueList, cleaned: boolean): string | null {
  if (cleaned) issues.add(path, "Control or invisible characters were removed from it (they can hide text from people while models read it).");
  const clamped = clampText(value, max);
  if (clamped.changed) issues.add(path, `It was cut to ${max.toLocaleString("en-US")} characters.`);
  return clamped.text.length > 0 ? clamped.text : null;
}

/** The names of the top-level arguments, as the input schema lists them. */
function argumentNames(schema: Record<string, unknown>): string[] {
  const properties = schema.properties;
  if (!isPlainObject(properties)) return [];
  return Object.keys(properties).slice(0, MAX_ARGUMENT_NAMES);
}
