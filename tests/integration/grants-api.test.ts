import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as grantRoute from "@/app/api/v1/grants/[id]/route";
import * as grantsRoute from "@/app/api/v1/grants/route";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { resolveGrantKey } from "@/lib/grants/grants";
import { registerServer } from "@/lib/servers/register-server";
import { createToken } from "@/lib/tokens/create-token";
import { startTestMcpServer, type TestMcpServer } from "../support/test-mcp-server";

// The grants API, through its route handlers with a personal access token, on the real database.

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

let upstream: TestMcpServer;
let token: string;
let caller: Caller;
let serverId: string;

function call(handler: unknown, method: string, url: string, body?: unknown, params: Record<string, string> = {}) {
  return (handler as Handler)(
    new Request(`http://localhost${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
}

beforeAll(async () => {
  const account = await signUp({ email: `grants-${randomUUID()}@example.com`, password: "a long test password" });
  caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "token" };
  token = (await createToken(caller, { name: "grants" })).token;
  upstream = await startTestMcpServer();
  serverId = (await registerServer(caller, { name: "files", url: upstream.url, transport: "auto" })).id;
});

afterAll(async () => {
  await upstream?.close();
});

describe("grants API", () => {
  it("creates a key shown once, lists the grant without it, and revokes it for good", async () => {
    const created = await call(grantsRoute.POST, "POST", "/api/v1/grants", { name: "claude code", serverIds: [serverId] });
    expect(created.status).toBe(201);
    const { grant, key } = await created.json();
    expect(key).toMatch(/^pcg_/);
    expect(grant).toMatchObject({ name: "claude code", serverIds: [serverId], revokedAt: null, keyPrefix: key.slice(0, grant.keyPrefix.length) });
    expect(await resolveGrantKey(key, serverId)).toMatchObject({ grantId: grant.id, name: "claude code" });

    const list = await (await call(grantsRoute.GET, "GET", "/api/v1/grants")).json();
    expect(list.grants.map((g: { id: string }) => g.id)).toContain(grant.id);
    expect(JSON.stringify(list)).not.toContain(key);

    const revoked = await call(grantRoute.DELETE, "DELETE", `/api/v1/grants/${grant.id}`, undefined, { id: grant.id });
    expect(revoked.status).toBe(200);
    const { revokedAt } = await getPrisma().grant.findUniqueOrThrow({ where: { id: grant.id } });
    expect((await revoked.json()).revokedAt).toBe(revokedAt!.toISOString());
    expect(await resolveGrantKey(key, serverId)).toBeNull();
  });

  it.each([
    ["no name", { serverIds: [] as string[] }, 422, ["body.name", "body.serverIds"]],
    ["an unknown field", { name: "x", serverIds: ["00000000-0000-4000-8000-000000000000"], scopes: ["*"] }, 422, ["body.scopes"]],
    ["a server id that is not a UUID", { name: "x", serverIds: ["nope"] }, 422, ["body.serverIds[0]"]],
  ])("refuses %s and creates nothing", async (_name, body, status, paths) => {
    const before = await getPrisma().grant.count({ where: { workspaceId: caller.workspaceId } });
    const response = await call(grantsRoute.POST, "POST", "/api/v1/grants", body);
    expect(response.status).toBe(status);
    const problem = await response.json();
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(paths));
    expect(await getPrisma().grant.count({ where: { workspaceId: caller.workspaceId } })).toBe(before);
  });

  it("does not let a grant reach another workspace's server", async () => {
    const before = await getPrisma().grant.count({ where: { workspaceId: caller.workspaceId } });
    const response = await call(grantsRoute.POST, "POST", "/api/v1/grants", { name: "sneaky", serverIds: [randomUUID()] });
    expect(response.status).toBe(404);
    expect(await getPrisma().grant.count({ where: { workspaceId: caller.workspaceId } })).toBe(before);
  });
});

