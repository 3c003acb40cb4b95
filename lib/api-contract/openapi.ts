import { z } from "zod";
import type { Operation } from "@/lib/api-contract/operation";
import { operations } from "@/lib/api-contract/operations";
import { problemSchema } from "@/lib/api-contract/schemas";

// Builds the OpenAPI 3.1 document from the same zod schemas the routes validate with (JSON Schema 2020-12,
// which OpenAPI 3.1 uses as is).

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

function parameters(operation: Operation): unknown[] {
  const list: unknown[] = [];
  for (const [where, schema] of [["path", operation.params], ["query", operation.query]] as const) {
    if (!schema) continue;
    const object = jsonSchema(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      list.push({
        name,
        in: where,
        required: where === "path" || (object.required ?? []).includes(name),
        schema: property,
        ...(typeof property.description === "string" ? { description: property.description } : {}),
      });
    }
  }
  return list;
}

export function buildOpenApiDocument(serverUrl?: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations as Operation[]) {
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(operation.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? { content: { [response.contentType ?? "application/json"]: { schema: jsonSchema(response.schema, "output") } } }
          : {}),
      };
    }
    const errorStatuses = [
      ...(operation.auth === "caller" ? ["401"] : []),
      ...(operation.body ? ["400", "413", "415"] : []),
      ...(operation.body || operation.params || operation.query ? ["422"] : []),
      ...(operation.params ? ["404"] : []),
      "500",
    ];
    for (const status of errorStatuses) {
      responses[status] ??= { $ref: "#/components/responses/Problem" };
    }
    for (const [status, value] of Object.entries(responses)) {
      const v = value as { content?: unknown; $ref?: string; description: string };
      if (Number(status) >= 400 && !v.content && !v.$ref) {
        responses[status] = { description: v.description, content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } };
      }
    }
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method.toLowerCase()] = {
      operationId: operation.id,
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      tags: [operation.tag],
      security: operation.auth === "caller" ? [{ bearerToken: [] }, { sessionCookie: [] }] : [],
      parameters: parameters(operation),
      ...(operation.body
        ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(operation.body, "input") } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Portcullis management API",
      version: "1",
      description:
        "Everything the Portcullis console does goes through this API. Authenticate with a personal access token " +
        "(Settings > Personal access tokens) sent as `Authorization: Bearer pcp_...`, or with the console's session " +
        "cookie. Errors are RFC 9457 problem+json documents with a stable `code`, a `detail` sentence, the " +
        "`requestId`, and for invalid input every field at fault in `errors`.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: {
        bearerToken: { type: "http", scheme: "bearer", description: "A personal access token (pcp_...)." },
        sessionCookie: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
      schemas: { Problem: jsonSchema(problemSchema, "output") },
      responses: {
        Problem: {
          description: "An error, as RFC 9457 problem details.",
          content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
        },
      },
    },
  };
}
