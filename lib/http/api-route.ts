import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Operation } from "@/lib/api-contract/operation";
import type { Caller } from "@/lib/auth/caller";
import { resolveSessionCaller } from "@/lib/auth/resolve-session-caller";
import { resolveTokenCaller } from "@/lib/auth/resolve-token-caller";
import { sessionUserId } from "@/lib/auth/session-user-id";
import { env, publicUrl } from "@/lib/env";
import { ApiError, type FieldError } from "@/lib/http/api-error";
import { isConsoleOrigin } from "@/lib/http/is-console-origin";
import { problemResponse } from "@/lib/http/problem";
import { readJsonBody } from "@/lib/http/read-json-body";
import { createLogger } from "@/lib/log/log";

// The one wrapper every API route goes through: request id, authentication (session cookie or personal access
// token), validation of params, query and body against the operation's zod schemas, and error mapping to
// problem+json. Handlers receive typed, validated input and never see a malformed request.

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface HandlerInput<O extends Operation> {
  request: Request;
  requestId: string;
  caller: O["auth"] extends "caller" ? Caller : Caller | null;
  params: Infer<NonNullable<O["params"]>>;
  query: Infer<NonNullable<O["query"]>>;
  body: Infer<NonNullable<O["body"]>>;
}

export type HandlerResult = { status: number; body?: unknown; headers?: Record<string, string> } | Response;

type RouteContext = { params: Promise<Record<string, string | string[]>> };

const apiLog = createLogger("api");

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function apiRoute<O extends Operation>(
  operation: O,
  handler: (input: HandlerInput<O>) => Promise<HandlerResult>,
): (request: Request, context: RouteContext) => Promise<Response> {
  return async (request, context) => {
    const requestId = request.headers.get("x-request-id")?.slice(0, 64).replace(/[^\w.-]/g, "") || randomUUID();
    try {
      const caller = await authenticateRequest(request, operation);
      const params = parsePart("params", operation.params, await context?.params);
      const query = parsePart("query", operation.query, Object.fromEntries(new URL(request.url).searchParams));
      let body: unknown = undefined;
      if (operation.body) {
        body = parsePart("body", operation.body, await readJsonBody(request));
      } else if (request.body && Number(request.headers.get("content-length") ?? 0) > 0) {
        throw new ApiError(400, "unexpected_body", `${operation.method} ${operation.path} takes no request body.`);
      }
      const result = await handler({ request, requestId, caller, params, query, body } as HandlerInput<O>);
      if (result instanceof Response) {
        result.headers.set("x-request-id", requestId);
        return result;
      }
      const response = operation.responses[result.status];
      const payload = response?.schema && result.body !== undefined ? response.schema.parse(result.body) : result.body;
      return new Response(payload === undefined ? null : JSON.stringify(payload), {
        status: result.status,
        headers: {
          ...(payload === undefined ? {} : { "content-type": "application/json" }),
          "cache-control": "no-store",
          "x-request-id": requestId,
          ...result.headers,
        },
      });
    } catch (error) {
      if (error instanceof ApiError) {
        return problemResponse(
          { status: error.status, code: error.code, detail: error.message, errors: error.errors, requestId },
          error.headers,
        );
      }
      apiLog.error("request failed", { operation: operation.id, requestId, error, stack: error instanceof Error ? error.stack : undefined });
      if (isDatabaseUnavailable(error)) {
        return problemResponse({
          status: 503,
          code: "database_unavailable",
          detail: "The database cannot be reached right now. Nothing was changed; try again in a moment.",
          requestId,
        }, { "retry-after": "5" });
      }
      return problemResponse({
        status: 500,
        code: "internal_error",
        detail: `Something went wrong on our side. Quote request id ${requestId} if you report it.`,
        requestId,
      });
    }
  };
}

async function authenticateRequest(request: Request, operation: Operation): Promise<Caller | null> {
  if (operation.auth === "public") return null;
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) {
      throw new ApiError(401, "invalid_authorization", "Send the token as `Authorization: Bearer pcp_...`.", [], {
        "www-authenticate": 'Bearer realm="portcullis"',
      });
    }
    const caller = await resolveTokenCaller(match[1]!);
    if (!caller) {
      throw new ApiError(
        401,
        "invalid_token",
        "That access token is not valid: it may be mistyped, revoked or expired. Create a new one in Settings.",
        [],
        { "www-authenticate": 'Bearer realm="portcullis", error="invalid_token"' },
      );
    }
    return caller;
  }
  const userId = await sessionUserId(request);
  const caller = userId ? await resolveSessionCaller(userId) : null;
  if (!caller) {
    throw new ApiError(
      401,
      "unauthenticated",
      "Sign in, or send a personal access token as `Authorization: Bearer pcp_...`.",
      [],
      { "www-authenticate": 'Bearer realm="portcullis"' },
    );
  }
  // Cookies ride along on cross-site requests; a browser always sends Origin on those, so refuse any Origin that is
  // not this console's own, including `null` and malformed ones.
  if (UNSAFE_METHODS.has(request.method)) {
    const origin = request.headers.get("origin");
    if (origin !== null && !isConsoleOrigin(origin, request, [env.NEXTAUTH_URL, publicUrl()])) {
      throw new ApiError(
        403,
        "cross_origin",
        `This request came from another site (Origin: ${JSON.stringify(origin.slice(0, 100))}) and was refused: with the session cookie, changes are accepted only from the console itself. Scripts should send a personal access token instead.`,
      );
    }
  }
  return caller;
}

function parsePart(part: "params" | "query" | "body", schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw validationError(part, result.error);
}

export function validationError(part: string, error: z.ZodError): ApiError {
  const errors: FieldError[] = error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: toPath(part, [...issue.path, key]),
        message: `Unknown field "${key}": remove it (check its spelling against the API reference).`,
      }));
    }
    // A record's key that fails its own schema: zod reports "Invalid key in record" and keeps the reason inside.
    if (issue.code === "invalid_key" && issue.issues.length > 0) {
      return issue.issues.map((inner) => ({ path: toPath(part, [...issue.path, ...inner.path]), message: inner.message }));
    }
    return [{ path: toPath(part, issue.path), message: issue.message }];
  }).flat();
  const first = errors[0];
  const detail = errors.length === 1 && first ? `${first.path}: ${first.message}` : `${errors.length} fields are invalid; see errors.`;
  return new ApiError(422, "validation_failed", detail, errors);
}

function toPath(part: string, path: PropertyKey[]): string {
  return [part, ...path.map((p) => (typeof p === "number" ? `[${p}]` : String(p)))].join(".").replace(/\.\[/g, "[");
}

// Node socket errors, PostgreSQL's connection-class SQLSTATEs, and Prisma's "cannot reach / timed out / pool
// exhausted" codes: all mean "try again later", never "your request was wrong".
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "57P01", "57P02", "57P03", "08000", "08001", "08003", "08006",
  "P1001", "P1002", "P1008", "P1017", "P2024",
]);

function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    if ((current as { kind?: unknown }).kind === "DatabaseNotReachable") return true;
    if (typeof message === "string" && /ECONNREFUSED|Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|DatabaseNotReachable/i.test(message)) return true;
    const meta = (current as { meta?: { driverAdapterError?: unknown } }).meta;
    current = meta?.driverAdapterError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}
