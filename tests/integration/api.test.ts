import { randomUUID } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import { buildOpenApiDocument } from "@/lib/api-contract/openapi";
import { operations } from "@/lib/api-contract/operations";
import { getPrisma } from "@/lib/db/client";
import { createToken } from "@/lib/tokens/create-token";
import * as signupRoute from "@/app/api/v1/signup/route";
import * as tokensRoute from "@/app/api/v1/tokens/route";
import * as tokenRoute from "@/app/api/v1/tokens/[id]/route";
import * as meRoute from "@/app/api/v1/me/route";

// The route handlers, called in-process with real Request objects against the real database. (The browser
// tests drive the same API over HTTP through the running app.)

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const noParams = { params: Promise.resolve({}) };

let token: string;
let userId: string;

function request(method: string, url: string, init: { body?: string; headers?: Record<string, string> } = {}) {
  return new Request(`http://localhost${url}`, {
    method,
    body: init.body,
    headers: { authorization: `Bearer ${token}`, ...init.headers },
  });
}

beforeAll(async () => {
  const account = await signUp({ email: `api-${randomUUID()}@example.com`, password: "portcullis test password" });
  userId = account.user.id;
  token = (await createToken({ userId, workspaceId: account.workspace.id }, { name: "test" })).token;
});

describe("authentication", () => {
  it.each([
    ["no credentials", {}, "unauthenticated"],
    ["a malformed header", { authorization: "Basic abc" }, "invalid_authorization"],
    ["an unknown token", { authorization: `Bearer pcp_${"x".repeat(43)}` }, "invalid_token"],
  ])("refuses %s with 401 problem+json", async (_name, headers, code) => {
    const response = await (meRoute.GET as Handler)(new Request("http://localhost/api/v1/me", { headers }), noParams);
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    // A request id of our own when the request brings none: the one the answer's header carries, for the logs.
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await response.json()).toMatchObject({ status: 401, code, requestId: response.headers.get("x-request-id") });
  });

  it("accepts a personal access token and records its use", async () => {
    const response = await (meRoute.GET as Handler)(request("GET", "/api/v1/me"), noParams);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { id: userId }, authenticatedWith: "token" });
    const stored = await getPrisma().personalAccessToken.findFirstOrThrow({ where: { userId } });
    expect(stored.lastUsedAt).toBeInstanceOf(Date);
  });
});

describe("tokens", () => {
  it("creates a token shown once, lists it without its secret, and revokes it for good", async () => {
    const created = await (tokensRoute.POST as Handler)(
      request("POST", "/api/v1/tokens", { body: JSON.stringify({ name: "deploy bot", expiresInDays: 30 }), headers: { "content-type": "application/json" } }),
      noParams,
    );
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body.token).toMatch(/^pcp_/);
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    const list = await (await (tokensRoute.GET as Handler)(request("GET", "/api/v1/tokens"), noParams)).json();
    const listed = list.tokens.find((t: { id: string }) => t.id === body.id);
    expect(listed).toMatchObject({ name: "deploy bot", prefix: body.token.slice(0, 12), revokedAt: null });
    expect(JSON.stringify(list)).not.toContain(body.token);
    const row = await getPrisma().personalAccessToken.findUniqueOrThrow({ where: { id: body.id } });
    expect(row.tokenHash).not.toContain(body.token.slice(4));

    const revoked = await (tokenRoute.DELETE as Handler)(request("DELETE", `/api/v1/tokens/${body.id}`), { params: Promise.resolve({ id: body.id }) });
    expect(revoked.status).toBe(200);
    const { revokedAt } = await getPrisma().personalAccessToken.findUniqueOrThrow({ where: { id: body.id } });
    expect((await revoked.json()).revokedAt).toBe(revokedAt!.toISOString());

    const withRevoked = new Request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${body.token}` } });
    expect((await (meRoute.GET as Handler)(withRevoked, noParams)).status).toBe(401);
  });

  it("answers 404 for another user's token, and does not revoke it", async () => {
    const other = await signUp({ email: `other-${randomUUID()}@example.com`, password: "another long password" });
    const theirs = await createToken({ userId: other.user.id, workspaceId: other.workspace.id }, { name: "theirs" });
    const response = await (tokenRoute.DELETE as Handler)(request("DELETE", `/api/v1/tokens/${theirs.id}`), {
      params: Promise.resolve({ id: theirs.id }),
    });
    expect(response.status).toBe(404);
    expect((await getPrisma().personalAccessToken.findUniqueOrThrow({ where: { id: theirs.id } })).revokedAt).toBeNull();
  });
});

describe("bad input changes nothing", () => {
  async function tokenCount() {
    return getPrisma().personalAccessToken.count({ where: { userId } });
  }

  // The detail is what a person reads: each says what was wrong (the parser's and the schema library's own words
  // are matched loosely, as they change with their versions).
  it.each<[string, { body: string; headers?: Record<string, string> }, number, string, string | undefined, string | RegExp]>([
    ["malformed JSON", { body: '{"name": "x",' }, 400, "malformed_json", "body", /^The body is not valid JSON: \S/],
    [
      "the wrong content type",
      { body: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } },
      415,
      "unsupported_media_type",
      undefined,
      "The body was sent as application/x-www-form-urlencoded: send JSON with Content-Type: application/json.",
    ],
    [
      "an unknown field",
      { body: JSON.stringify({ name: "x", scopes: ["all"] }) },
      422,
      "validation_failed",
      "body.scopes",
      'body.scopes: Unknown field "scopes": remove it (check its spelling against the API reference).',
    ],
    ["a wrong type", { body: JSON.stringify({ name: "x", expiresInDays: "ten" }) }, 422, "validation_failed", "body.expiresInDays", "body.expiresInDays: expiresInDays must be a whole number of days."],
    ["a missing field", { body: JSON.stringify({}) }, 422, "validation_failed", "body.name", "body.name: Give the token a name."],
    ["an oversized body", { body: JSON.stringify({ name: "x".repeat(70_000) }) }, 413, "body_too_large", undefined, "The body is larger than 64 KiB: send a smaller request."],
    ["a JSON array", { body: "[]" }, 422, "validation_failed", "body", /^body: .*expected object, received array/],
  ])("%s", async (_name, input, status, code, field, detail) => {
    const before = await tokenCount();
    const response = await (tokensRoute.POST as Handler)(
      request("POST", "/api/v1/tokens", { body: input.body, headers: { "content-type": "application/json", ...input.headers } }),
      noParams,
    );
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = await response.json();
    expect(problem).toMatchObject({ status, code, detail: typeof detail === "string" ? detail : expect.stringMatching(detail) });
    // A problem with the body's content names the field at fault; one with the request as a whole names none.
    expect(problem.errors?.map((e: { path: string }) => e.path)).toEqual(field === undefined ? undefined : [field]);
    expect(await tokenCount()).toBe(before);
  });

  it("reports every invalid field of a sign-up at once", async () => {
    const response = await (signupRoute.POST as Handler)(
      new Request("http://localhost/api/v1/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "not-an-email", password: 42, nickname: "x" }),
      }),
      noParams,
    );
    expect(response.status).toBe(422);
    const problem = await response.json();
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(["body.email", "body.nickname", "body.password"]);
  });

  it("names a weak password alongside another invalid field, not only on the next try", async () => {
    const response = await (signupRoute.POST as Handler)(
      new Request("http://localhost/api/v1/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "not-an-email", password: "password123" }),
      }),
      noParams,
    );
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual(["body.email", "body.password"]);
    expect(problem.errors.find((e) => e.path === "body.password")!.message).toMatch(/commonly used passwords/);
  });
});

describe("OpenAPI document", () => {
  function routeFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return routeFiles(full);
      return name === "route.ts" ? [full] : [];
    });
  }

  it("describes every API route file and method, and nothing else", async () => {
    const appDir = path.resolve("app");
    const documented = new Set(operations.map((o) => `${o.method} ${o.path}`));
    const mounted = new Set<string>();
    for (const file of routeFiles(path.join(appDir, "api"))) {
      const route = path
        .relative(appDir, path.dirname(file))
        .split(path.sep)
        .map((segment) => segment.replace(/^\[(\w+)\]$/, "{$1}"))
        .join("/");
      if (route.includes("[...")) continue; // next-auth's own routes and the API's 404 fallback
      const routeModule = (await import(file)) as Record<string, unknown>;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        if (typeof routeModule[method] === "function") mounted.add(`${method} /${route}`);
      }
    }
    expect([...mounted].sort()).toEqual([...documented].sort());
  });

  it("is OpenAPI 3.1 with a schema for every request body and success response", () => {
    const doc = buildOpenApiDocument("http://localhost:3000") as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, { content?: unknown }> }>>;
    };
    expect(doc.openapi).toBe("3.1.0");
    const create = doc.paths["/api/v1/tokens"]!.post!;
    expect(create.requestBody).toMatchObject({
      content: { "application/json": { schema: { type: "object", additionalProperties: false, required: ["name"] } } },
    });
    expect(doc.paths["/api/v1/tokens/{id}"]!.delete).toMatchObject({
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
    });
    expect(create.responses["422"]).toEqual({ $ref: "#/components/responses/Problem" });
  });
});
