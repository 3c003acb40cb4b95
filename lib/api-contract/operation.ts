import type { z } from "zod";

// One entry of the management API's contract. Route handlers validate with these schemas and the OpenAPI
// document is generated from them, so the documentation cannot drift from what the server accepts.

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export type AuthMode = "public" | "caller";

export interface Operation<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  A extends AuthMode = AuthMode,
> {
  id: string;
  method: HttpMethod;
  /** OpenAPI path template, e.g. /api/v1/tokens/{id}. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** "public": no credentials; "caller": a session cookie or a personal access token. */
  auth: A;
  params?: P;
  query?: Q;
  body?: B;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

export function defineOperation<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  const A extends AuthMode,
>(operation: Operation<P, Q, B, A>): Operation<P, Q, B, A> {
  return operation;
}
