import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/policy/canonical-json";
import { isPlainObject } from "@/lib/json/is-plain-object";

// A tool's definition as its server lists it, and the hash that tells whether it changed. Everything the server
// sends is hashed (descriptions, schemas, annotations, _meta): models read all of it.

export type ToolDefinition = Record<string, unknown> & { name: string };

export function definitionHash(definition: ToolDefinition): string {
  return createHash("sha256").update(canonicalJson(definition)).digest("hex");
}

export function isToolDefinition(value: unknown): value is ToolDefinition {
  return typeof value === "object" && value !== null && typeof (value as { name?: unknown }).name === "string";
}

/** The columns kept beside the full definition, for listing and searching. */
export function toolColumns(definition: ToolDefinition) {
  const annotations = objectOrNull(definition.annotations);
  const title = typeof definition.title === "string" ? definition.title : typeof annotations?.title === "string" ? annotations.title : null;
  return {
    name: definition.name,
    title,
    description: typeof definition.description === "string" ? definition.description : null,
    inputSchema: objectOrNull(definition.inputSchema) ?? { type: "object" },
    outputSchema: objectOrNull(definition.outputSchema),
    annotations,
  };
}

function objectOrNull(value: unknown): Record<string, unknown> | null {
  return isPlainObject(value) ? value : null;
}
