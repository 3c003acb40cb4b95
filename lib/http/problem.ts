import type { FieldError } from "@/lib/http/api-error";

// RFC 9457 problem details. `code` is stable and machine-readable; `detail` is a sentence a person can act on.

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Content too large",
  415: "Unsupported media type",
  422: "Validation failed",
  429: "Too many requests",
  500: "Internal error",
  503: "Service unavailable",
};

export function problemResponse(
  input: { status: number; code: string; detail: string; errors?: FieldError[]; requestId: string },
  headers: Record<string, string> = {},
): Response {
  const body: Problem = {
    type: `urn:portcullis:problem:${input.code}`,
    title: TITLES[input.status] ?? "Error",
    status: input.status,
    detail: input.detail,
    code: input.code,
    requestId: input.requestId,
    ...(input.errors?.length ? { errors: input.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: input.status,
    headers: { "content-type": "application/problem+json", "x-request-id": input.requestId, ...headers },
  });
}
