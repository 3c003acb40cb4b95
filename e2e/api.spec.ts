import Ajv2020 from "ajv/dist/2020";
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { PASSWORD, uniqueEmail } from "./support/accounts";
import { startServerEverything } from "./support/server-everything";

// Drives the management API over HTTP from its own OpenAPI document, with a personal access token, and checks
// every answer against the schema the document gives for it.

type OperationDoc = {
  operationId: string;
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { content?: Record<string, { schema: object }>; $ref?: string }>;
};
type OpenApi = { openapi: string; paths: Record<string, Record<string, OperationDoc>>; components: { schemas: Record<string, object> } };

let doc: OpenApi;
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
ajv.addFormat("date-time", { validate: (v: string) => !Number.isNaN(Date.parse(v)) });
ajv.addFormat("email", /^[^@\s]+@[^@\s]+$/);

function find(operationId: string): { method: string; path: string; op: OperationDoc } {
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) if (op.operationId === operationId) return { method, path, op };
  }
  throw new Error(`${operationId} is not in the OpenAPI document`);
}

async function call(
  api: APIRequestContext,
  operationId: string,
  options: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown } = {},
) {
  const { method, path, op } = find(operationId);
  const query = options.query ? `?${new URLSearchParams(options.query)}` : "";
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(options.params?.[name] ?? "")) + query;
  const response = await api.fetch(url, { method: method.toUpperCase(), ...(options.body === undefined ? {} : { data: options.body }) });
  const status = String(response.status());
  const text = await response.text();
  const described = op.responses[status];
  expect(described, `${operationId} answered ${status}, which its document does not list`).toBeDefined();
  const json = text ? JSON.parse(text) : undefined;
  const contentType = (response.headers()["content-type"] ?? "").split(";")[0]!;
  const schema = described?.content?.[contentType]?.schema ?? (described?.$ref ? { $ref: "#/components/schemas/Problem" } : undefined);
  // A body the document gives no schema for would go unchecked, and a schema with no body describes nothing that came.
  expect(schema !== undefined, `${operationId} ${status}: ${json === undefined ? "the document describes a body, and none came" : `no schema for its ${contentType} body`}`).toBe(
    json !== undefined,
  );
  if (schema && json !== undefined) {
    const validate = ajv.compile({ ...schema, $defs: undefined, components: doc.components } as object);
    expect(validate(json), `${operationId} ${status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  }
  return { status: response.status(), json, headers: response.headers() };
}

test("the API, driven from its OpenAPI document with a personal access token", async ({ baseURL }) => {
  const anonymous = await playwrightRequest.newContext({ baseURL });
  doc = await (await anonymous.get("/api/v1/openapi.json")).json();
  expect(doc.openapi).toBe("3.1.0");

  const email = uniqueEmail("api");
  const created = await call(anonymous, "signUp", { body: { email, password: PASSWORD, name: "Api Tester" } });
  expect(created.status).toBe(201);
  // The same answer for an email that already has an account, so sign-up does not tell who has one.
  const again = await call(anonymous, "signUp", { body: { email, password: PASSWORD, name: "Api Tester" } });
  expect(again.status).toBe(201);
  expect(again.json).toMatchObject({ user: { email, name: "Api Tester" } });

  // A session (the console's own way in) creates the first token.
  const browserLike = await playwrightRequest.newContext({ baseURL });
  const { csrfToken } = await (await browserLike.get("/api/auth/csrf")).json();
  const signIn = await browserLike.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password: PASSWORD, json: "true" },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(signIn.status());
  const first = await call(browserLike, "createToken", { body: { name: "from the console" } });
  expect(first.status).toBe(201);
  const token = first.json.token as string;

  const api = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  expect((await call(api, "getMe")).json).toMatchObject({ user: { email, name: "Api Tester" }, authenticatedWith: "token" });
  const second = await call(api, "createToken", { body: { name: "script", expiresInDays: 7 } });
  expect(second.status).toBe(201);
  const listed = await call(api, "listTokens");
  expect(listed.json.tokens.map((t: { name: string }) => t.name)).toEqual(["script", "from the console"]);
  expect(JSON.stringify(listed.json)).not.toContain(token);

  const revoked = await call(api, "revokeToken", { params: { id: second.json.id } });
  expect(revoked.json.revokedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  // The list says the same from then on.
  const afterRevoking = await call(api, "listTokens");
  expect(afterRevoking.json.tokens.find((t: { id: string }) => t.id === second.json.id)?.revokedAt).toBe(revoked.json.revokedAt);
  expect((await call(api, "revokeToken", { params: { id: "not-a-uuid" } })).status).toBe(422);
  expect((await call(api, "revokeToken", { params: { id: "00000000-0000-4000-8000-000000000000" } })).status).toBe(404);

  const health = await call(anonymous, "getHealth");
  expect(health.json).toMatchObject({ status: "ok", database: { status: "up" } });
  await Promise.all([anonymous.dispose(), browserLike.dispose(), api.dispose()]);
});

test("bad input over HTTP gets problem+json naming the field, and writes nothing", async ({ baseURL }) => {
  const anonymous = await playwrightRequest.newContext({ baseURL });
  const email = uniqueEmail("bad");
  const attempts = [
    { headers: { "content-type": "application/json" }, data: '{"email": "' + email + '",', status: 400, code: "malformed_json", field: "body" },
    { headers: { "content-type": "text/plain" }, data: JSON.stringify({ email, password: PASSWORD }), status: 415, code: "unsupported_media_type" },
    { headers: { "content-type": "application/json" }, data: JSON.stringify({ email, password: PASSWORD, admin: true }), status: 422, code: "validation_failed", field: "body.admin" },
    { headers: { "content-type": "application/json" }, data: JSON.stringify({ email, password: PASSWORD, name: "x".repeat(100_000) }), status: 413, code: "body_too_large" },
  ];
  for (const attempt of attempts) {
    // A Buffer is sent byte for byte (a string with a JSON content type would be encoded again).
    const response = await anonymous.post("/api/v1/signup", { headers: attempt.headers, data: Buffer.from(attempt.data) });
    expect(response.status(), attempt.code).toBe(attempt.status);
    expect(response.headers()["content-type"]).toBe("application/problem+json");
    const problem = await response.json();
    // The request id is ours (the request brought none), and the answer's header carries it for the logs.
    expect(response.headers()["x-request-id"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(problem).toMatchObject({ status: attempt.status, code: attempt.code, requestId: response.headers()["x-request-id"] });
    // A problem with a field names it; one with the request as a whole names none.
    expect(problem.errors).toEqual(attempt.field ? expect.arrayContaining([expect.objectContaining({ path: attempt.field })]) : undefined);
  }
  // None of them created the account: signing up properly still works.
  const ok = await anonymous.post("/api/v1/signup", { data: { email, password: PASSWORD } });
  expect(ok.status()).toBe(201);

  const unknown = await anonymous.get("/api/v1/no-such-thing");
  expect(unknown.status()).toBe(404);
  expect(await unknown.json()).toMatchObject({ code: "no_such_route" });
  await anonymous.dispose();
});

test("servers, tools and policies through the API, every answer matching the document", async ({ baseURL }) => {
  const anonymous = await playwrightRequest.newContext({ baseURL });
  doc = await (await anonymous.get("/api/v1/openapi.json")).json();
  const email = uniqueEmail("api-servers");
  expect((await call(anonymous, "signUp", { body: { email, password: PASSWORD } })).status).toBe(201);
  const browserLike = await playwrightRequest.newContext({ baseURL });
  const { csrfToken } = await (await browserLike.get("/api/auth/csrf")).json();
  await browserLike.post("/api/auth/callback/credentials", { form: { csrfToken, email, password: PASSWORD }, maxRedirects: 0 });
  const token = (await call(browserLike, "createToken", { body: { name: "servers" } })).json.token as string;
  const api = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const upstream = await startServerEverything();
  try {
    const created = await call(api, "createServer", {
      body: { name: "everything", url: upstream.url, credentials: { type: "headers", headers: { "X-Api-Key": "k-123" } } },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ detectedTransport: "streamable_http", credentials: { type: "headers", headerNames: ["X-Api-Key"] } });
    expect(JSON.stringify(created.json)).not.toContain("k-123");
    const id = created.json.id as string;

    expect((await call(api, "createServer", { body: { name: "everything", url: upstream.url } })).status).toBe(409);
    expect((await call(api, "listServers")).json.servers).toHaveLength(1);
    const reads = await call(api, "listServerTools", { params: { id }, query: { category: "read", sort: "name" } });
    expect(reads.json.tools.length).toBeGreaterThan(3);
    const echo = reads.json.tools.find((t: { name: string }) => t.name === "echo");
    const detail = await call(api, "getTool", { params: { id: echo.id } });
    expect(detail.json).toMatchObject({ level: "low", category: "read", recommendedPolicy: { version: "1" } });
    const overridden = await call(api, "overrideTool", { params: { id: echo.id }, body: { override: { level: "medium", note: "echoes user text back" } } });
    expect(overridden.json).toMatchObject({ level: "medium", overridden: true });
    expect((await call(api, "acceptToolChange", { params: { id: echo.id } })).status).toBe(409);
    expect((await call(api, "syncServer", { params: { id } })).json).toMatchObject({ outcome: "synced", added: [], changed: [], removed: [] });
    expect((await call(api, "listServerChanges", { params: { id } })).json.changes).toEqual([]);

    const seed = '{ "version": "1", "default": "deny",\n  "tools": { "invoke_agent_runtime": { "limits": [\n    { "counter": "invoke_agent_runtime_rate", "window": "minute", "max": 10, "scope": "grant" } ] } } }';
    expect((await call(api, "getPolicy", { params: { id } })).json).toEqual({ active: null, warnings: [] });
    const saved = await call(api, "savePolicyVersion", { params: { id }, body: { text: seed, message: "seed", basedOn: 0 } });
    expect(saved.status).toBe(201);
    expect(saved.json.warnings.map((w: { code: string }) => w.code)).toContain("unknown_tool");
    const invalid = await call(api, "savePolicyVersion", { params: { id }, body: { text: '{"version":"1","default":"sometimes"}', message: "bad" } });
    expect(invalid.json).toMatchObject({ code: "invalid_policy", errors: [{ path: "body.text/default", line: 1 }] });
    expect((await call(api, "listPolicyVersions", { params: { id } })).json.versions).toHaveLength(1);
    expect((await call(api, "getPolicyVersion", { params: { id, version: "1" } })).json.text).toBe(seed);
    expect((await call(api, "getPolicyVersion", { params: { id, version: "7" } })).status).toBe(404);
    const simulated = await call(api, "simulatePolicy", { params: { id }, body: { tool: "echo", args: { message: "hi" } } });
    expect(simulated.json).toMatchObject({ decision: "deny", code: "denied_by_default", matchedRule: null, policyVersion: 1 });

    expect((await call(api, "deleteServer", { params: { id } })).status).toBe(204);
    expect((await call(api, "getServer", { params: { id } })).status).toBe(404);
  } finally {
    await upstream.stop();
    await Promise.all([anonymous.dispose(), browserLike.dispose(), api.dispose()]);
  }
});
