import { randomUUID } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { getPool } from "@/lib/db/client";
import { createAdmitStore, type AdmitRequest } from "@/lib/gateway/admit";
import { createGatewayHandler } from "@/lib/gateway/handler";
import { GATEWAY_MOUNT, gatewayListener } from "../support/gateway-mount";
import { createDatabaseGatewayDeps } from "@/lib/gateway/stores";
import { createGrant } from "@/lib/grants/grants";
import { ApiError } from "@/lib/http/api-error";
import { savePolicyVersion } from "@/lib/policy-versions/save-policy-version";
import { registerServer } from "@/lib/servers/register-server";
import { startTestMcpServer, type TestMcpServer } from "../support/test-mcp-server";

// One tenant's bytes must never fail another's calls. PostgreSQL refuses U+0000 and unpaired surrogates in text and
// jsonb, and the gateway admits concurrent requests of every tenant in one grouped statement: a request carrying them
// used to fail the whole group (answered 503 "could not reach its database"). Real PostgreSQL, real SDK upstream.

interface Tenant {
  caller: Caller;
  serverId: string;
  key: string;
  grantId: string;
}

let upstream: TestMcpServer;
let gateway: Server;
let origin: string;
let hostile: Tenant;
let legitimate: Tenant;

const POLICY = { version: "1", default: "deny", tools: { list_files: {}, run_command: { action: "require_approval" } } };

async function tenant(label: string): Promise<Tenant> {
  const account = await signUp({ email: `${label}-${randomUUID()}@example.com`, password: "a long test password" });
  const caller: Caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
  const server = await registerServer(caller, { name: `${label} files`, url: upstream.url, transport: "streamable_http" });
  await savePolicyVersion(caller, server.id, { text: JSON.stringify(POLICY), message: "tenants test" });
  const grant = await createGrant(caller, { name: `${label} agent`, serverIds: [server.id] });
  return { caller, serverId: server.id, key: grant.key, grantId: grant.grant.id };
}

/** One raw JSON-RPC POST (no session: the upstream is stateless), with the body written by hand so it can hold anything. */
async function post(t: Tenant, body: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${origin}/gateway/${t.serverId}/mcp`, {
    method: "POST",
    headers: { authorization: `Bearer ${t.key}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
    body,
  });
  const text = await response.text();
  // A tools/call answer may come as one SSE event.
  const data = text.startsWith("{") || text.startsWith("[") ? text : text.split("\n").find((l) => l.startsWith("data:"))?.slice(5) ?? "null";
  return { status: response.status, json: JSON.parse(data) };
}

const call = (id: number, name: string, args: string = "{}") =>
  `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":${name},"arguments":${args}}}`;

beforeAll(async () => {
  upstream = await startTestMcpServer();
  [hostile, legitimate] = await Promise.all([tenant("hostile"), tenant("legitimate")]);
  gateway = createServer(gatewayListener(createGatewayHandler(createDatabaseGatewayDeps())));
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  gateway?.closeAllConnections();
  await new Promise((resolve) => gateway?.close(resolve));
  await upstream?.close();
});

// Written as JSON text: the escapes reach the gateway as the code points they name.
const POISONED_BODIES = [
  call(1, '"list_files\\u0000"'),
  call(2, '"list_files\\ud800"'),
  call(3, '"list_\\udc00files"'),
  call(4, '"list_files"', '{"pa\\u0000th":"/tmp"}'),
  call(5, '"list_files"', '{"path":"\\ud83d"}'),
  '{"jsonrpc":"2.0","id":6,"method":"tools/call\\u0000","params":{"name":"list_files"}}',
  '{"jsonrpc":"2.0","id":7,"method":"tools\\ud800/list"}',
  '{"jsonrpc":"2.0","id":"id\\u0000","method":"ping"}',
  '{"jsonrpc":"2.0","id":9,"method":"initialize","params":{"protocolVersion":"2025-06-18\\u0000","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}',
  `[${call(10, '"list_files\\u0000"')},${call(11, '"list_files"')}]`,
];

describe("text PostgreSQL cannot store, sent by one tenant", () => {
  it("is refused with a JSON-RPC error that says what is wrong, and recorded", async () => {
    for (const body of POISONED_BODIES.slice(0, 9)) {
      const { status, json } = await post(hostile, body);
      expect(status, body).toBe(200);
      const error = (json as { error?: { code: number; message: string } }).error;
      expect(error?.message, body).toMatch(/U\+0000|unpaired UTF-16 surrogate/);
      expect(error?.message, body).toContain("cannot record");
    }
    const { rows } = await getPool().query<{ reason: string; code: string }>(
      `SELECT reason, code FROM audit_events WHERE grant_id = $1 AND decision = 'error' AND code = 'invalid_request'`,
      [hostile.grantId],
    );
    expect(rows.length).toBeGreaterThanOrEqual(9);
    // The recorded reason names the place with the character escaped, never the character itself.
    expect(rows.some((r) => r.reason.includes('params.arguments["pa\\u0000th"]'))).toBe(true);
    expect(rows.every((r) => !r.reason.includes("\u0000"))).toBe(true);
  });

  it("keeps a NUL inside a tool's argument value: it is forwarded, never stored", async () => {
    const { status, json } = await post(hostile, call(20, '"list_files"', '{"path":"/tmp/a\\u0000b"}'));
    expect(status).toBe(200);
    expect(JSON.stringify(json)).toContain("called list_files");
    expect(upstream.calls.at(-1)).toEqual({ name: "list_files", arguments: { path: "/tmp/a\u0000b" } });
  });

  it("refuses to hold such a value for approval, since approvers' copies are stored", async () => {
    const { json } = await post(hostile, call(21, '"run_command"', '{"cmd":"ls\\u0000"}'));
    const error = (json as { error?: { code: number; message: string } }).error;
    expect(error?.code).toBe(-32602);
    expect(error?.message).toContain("cannot be held for approval");
  });

  it("never fails another tenant's calls: a mixed concurrent run where every legitimate call succeeds", async () => {
    const before = upstream.calls.length;
    const legitimateCalls = Array.from({ length: 200 }, (_, i) => post(legitimate, call(1000 + i, '"list_files"', `{"path":"/tmp/${i}"}`)));
    const poisoned = Array.from({ length: 200 }, (_, i) => post(hostile, POISONED_BODIES[i % POISONED_BODIES.length]!));
    const [good, bad] = await Promise.all([Promise.all(legitimateCalls), Promise.all(poisoned)]);
    const failures = good.filter((r) => r.status !== 200 || !JSON.stringify(r.json).includes("called list_files"));
    expect(failures).toEqual([]);
    // The hostile tenant's requests got their own refusals, never a 5xx.
    expect(bad.filter((r) => r.status >= 500)).toEqual([]);
    expect(upstream.calls.length - before).toBeGreaterThanOrEqual(200);
  }, 60_000);
});

/** A raw request, so the path and Host header can be anything a client can put on the wire. */
function rawRequest(path: string, host: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method: "POST", headers: { host, "content-type": "application/json" } }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end("{}");
  });
}

describe("a request target no URL parser can read", () => {
  it("is a 400, and the instance keeps serving everyone (it used to throw out of the listener)", async () => {
    const malformed = await rawRequest(`/gateway/%E0%A4%A/mcp`, "127.0.0.1");
    expect(malformed.status).toBe(400);
    // The node:http mount answers with its own sentence; under the route mount the path never reaches the gateway's
    // code, and the answer is the server's plain 400.
    expect(malformed.body).toContain(GATEWAY_MOUNT === "node" ? "could not be read as a URL" : "Bad Request");
    const badHost = await rawRequest(`/gateway/${legitimate.serverId}/mcp`, "a b:1");
    expect(badHost.status).toBe(400);
    const after = await post(legitimate, call(40, '"list_files"'));
    expect(JSON.stringify(after.json)).toContain("called list_files");
  });
});

describe("a tool name of megabytes", () => {
  it("is answered as an unknown tool and recorded cut short, so no tenant can bloat the trail", async () => {
    const name = "x".repeat(1_000_000);
    const { status, json } = await post(hostile, call(30, JSON.stringify(name), `{${Array.from({ length: 1000 }, (_, i) => `"a${i}":1`).join(",")}}`));
    expect(status).toBe(200);
    expect((json as { error?: { code: number } }).error?.code).toBe(-32602);
    const { rows } = await getPool().query<{ tool: string; reason: string; names: number }>(
      `SELECT tool, reason, cardinality(argument_names) AS names FROM audit_events WHERE grant_id = $1 AND tool LIKE 'xxx%' ORDER BY at DESC LIMIT 1`,
      [hostile.grantId],
    );
    expect(rows[0]!.tool.length).toBeLessThanOrEqual(512);
    expect(rows[0]!.tool.endsWith("…")).toBe(true);
    expect(rows[0]!.reason.length).toBeLessThanOrEqual(2048);
    expect(rows[0]!.names).toBe(256);
  });
});

describe("a grouped admit statement that fails for one request's data", () => {
  it("settles its members one by one, so only that request fails, and logs the SQLSTATE", async () => {
    const logged: string[] = [];
    // maxInFlight 1: the requests below queue behind the first and go together in one statement.
    const store = createAdmitStore(getPool(), { maxInFlight: 1, log: (line) => logged.push(line) });
    const { rows } = await getPool().query<{ key_hash: string; revision: number }>(
      `SELECT g.key_hash, s.gateway_revision AS revision FROM grants g, mcp_servers s WHERE g.id = $1 AND s.id = $2`,
      [legitimate.grantId, legitimate.serverId],
    );
    const request = (revision: number): AdmitRequest => ({
      confirm: { workspaceId: legitimate.caller.workspaceId, grantId: legitimate.grantId, keyHash: rows[0]!.key_hash, serverId: legitimate.serverId, revision, sessionHash: null, sessionUsedSince: 0 },
      calls: [],
      rows: [],
    });
    const good = request(rows[0]!.revision);
    // Not an int4: PostgreSQL refuses the cast (SQLSTATE 22003), a data error inside the shared statement.
    const bad = request(1e20);
    const results = await Promise.allSettled([store.admit(good), store.admit(good), store.admit(bad), store.admit(good), store.admit(good)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
    // The four good requests confirmed, the bad one refused with PostgreSQL's own error for it.
    expect(results.map((r) => (r.status === "fulfilled" ? { confirmed: r.value.confirmed } : { code: (r.reason as { code?: string }).code }))).toEqual([
      { confirmed: true },
      { confirmed: true },
      { code: "22003" },
      { confirmed: true },
      { confirmed: true },
    ]);
    expect(logged.some((line) => line.includes("SQLSTATE 22003"))).toBe(true);
  });
});

describe("a policy whose text holds U+0000", () => {
  it("is refused as invalid, with the JSON path of the text, and nothing is saved", async () => {
    const text = '{"version":"1","default":"deny","tools":{"list_files":{"action":"deny","reason":"no\\u0000pe"}}}';
    const error = await savePolicyVersion(hostile.caller, hostile.serverId, { text, message: "nul" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(422);
    expect(JSON.stringify((error as ApiError).errors)).toContain("/tools/list_files/reason");
  });
});

/**
 * A loose MCP server: it reads a method the way a careless implementation might (trimmed, lower-cased, invisible
 * characters dropped), so `Tools/call` runs a tool here. It records every method it receives.
 */
async function startLooseUpstream(
  options: { beforeCall?: () => Promise<void> } = {},
): Promise<{ url: string; methods: string[]; ran: string[]; close(): Promise<void> }> {
  const methods: string[] = [];
  const ran: string[] = [];
  const tools = [
    { name: "list_files", inputSchema: { type: "object" } },
    { name: "delete_file", inputSchema: { type: "object" } },
  ];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "POST") return void res.writeHead(405).end();
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const message = JSON.parse(body) as { id?: number; method: string; params?: { name?: string } };
      methods.push(message.method);
      const method = message.method.replace(/[\s\u200b-\u200d\ufeff]/g, "").toLowerCase();
      const answer = (result: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: message.id, result }));
      if (message.id === undefined) return void res.writeHead(202).end();
      if (method === "initialize") return answer({ protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "loose", version: "1" } });
      if (method === "tools/list") return answer({ tools });
      if (method === "tools/call") {
        ran.push(message.params?.name ?? "");
        return void (options.beforeCall?.() ?? Promise.resolve()).then(() => answer({ content: [{ type: "text", text: `ran ${message.params?.name}` }] }));
      }
      answer({});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    methods,
    ran,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("method names that imitate tools/call", () => {
  it("are never forwarded, so a loose upstream cannot run a tool the policy hides; an operator's extra method is", async () => {
    const loose = await startLooseUpstream();
    try {
      const server = await registerServer(hostile.caller, { name: "loose", url: loose.url, transport: "streamable_http" });
      await savePolicyVersion(hostile.caller, server.id, { text: JSON.stringify({ version: "1", default: "deny", tools: { list_files: {} } }), message: "loose" });
      const grant = await createGrant(hostile.caller, { name: "loose agent", serverIds: [server.id] });
      const looseTenant: Tenant = { ...hostile, serverId: server.id, key: grant.key, grantId: grant.grant.id };
      const withExtra = createServer(gatewayListener(createGatewayHandler(createDatabaseGatewayDeps({ extraMethods: ["vendor/status"] }))));
      await new Promise<void>((resolve) => withExtra.listen(0, "127.0.0.1", resolve));
      const mainOrigin = origin;
      origin = `http://127.0.0.1:${(withExtra.address() as AddressInfo).port}`;
      try {
        const before = loose.methods.length;
        for (const method of ["Tools/call", "tools/call ", "tools/call\u200b", "TOOLS/CALL", "\ufefftools/call"]) {
          const { json } = await post(looseTenant, JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: { name: "delete_file", arguments: {} } }));
          const error = (json as { error?: { code: number; message: string } }).error;
          expect(error?.code, JSON.stringify(method)).toBe(-32601);
          expect(error?.message).toContain("is not the MCP method tools/call");
        }
        expect(loose.methods.slice(before)).toEqual([]);
        expect(loose.ran).toEqual([]);
        // The exact name is checked: delete_file is hidden by the policy.
        const exact = await post(looseTenant, call(2, '"delete_file"'));
        expect((exact.json as { error?: { code: number } }).error?.code).toBe(-32602);
        // The operator's extra method goes through.
        await post(looseTenant, JSON.stringify({ jsonrpc: "2.0", id: 3, method: "vendor/status" }));
        expect(loose.methods.at(-1)).toBe("vendor/status");
        const { rows } = await getPool().query<{ code: string }>(`SELECT code FROM audit_events WHERE grant_id = $1 AND code = 'unknown_method'`, [grant.grant.id]);
        expect(rows).toHaveLength(5);
      } finally {
        origin = mainOrigin;
        withExtra.closeAllConnections();
        await new Promise((resolve) => withExtra.close(resolve));
      }
    } finally {
      await loose.close();
    }
  });
});

describe("a client that hangs up mid-call", () => {
  /** Calls list_files and hangs up once the upstream has the call; the upstream answers 100 ms later. */
  async function hangUpDuringCall(t: Tenant, reached: Promise<void>, release: () => void) {
    const hangUp = new AbortController();
    const pending = fetch(`${origin}/gateway/${t.serverId}/mcp`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.key}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: call(1, '"list_files"'),
      signal: hangUp.signal,
    }).then((r) => r.text()).catch((error: unknown) => error);
    await reached;
    hangUp.abort();
    await pending;
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    const deadline = Date.now() + 5_000;
    let row: { decision: string; code: string | null; upstream_status: number | null; reason: string | null } | undefined;
    while (Date.now() < deadline) {
      const { rows } = await getPool().query<NonNullable<typeof row>>(
        `SELECT decision, code, upstream_status, reason FROM audit_events WHERE grant_id = $1 AND method = 'tools/call'`,
        [t.grantId],
      );
      row = rows[0];
      if (row?.upstream_status != null && row.code === "client_cancelled") break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return row;
  }

  it("before the upstream answered (a JSON answer): a client cancel, with the upstream's real status once it arrives", async () => {
    let release!: () => void;
    let reachedUpstream!: () => void;
    const reached = new Promise<void>((resolve) => (reachedUpstream = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const loose = await startLooseUpstream({ beforeCall: () => (reachedUpstream(), gate) });
    try {
      const server = await registerServer(legitimate.caller, { name: "json answers", url: loose.url, transport: "streamable_http" });
      await savePolicyVersion(legitimate.caller, server.id, { text: JSON.stringify(POLICY), message: "hang-up" });
      const grant = await createGrant(legitimate.caller, { name: "hang-up agent", serverIds: [server.id] });
      const row = await hangUpDuringCall({ ...legitimate, serverId: server.id, key: grant.key, grantId: grant.grant.id }, reached, release);
      expect(row).toMatchObject({ decision: "allow", code: "client_cancelled", upstream_status: 200 });
      expect(row?.reason).toContain("The client hung up before the answer; the upstream answered 200.");
    } finally {
      await loose.close();
    }
  });

  it("while the answer streams (an SSE answer): a client cancel, keeping the upstream's status", async () => {
    const t = await tenant("hangup");
    let release!: () => void;
    const reached = new Promise<void>((resolve) => {
      upstream.onCall = async () => {
        resolve();
        await new Promise<void>((done) => (release = done));
        return "finished late";
      };
    });
    try {
      const row = await hangUpDuringCall(t, reached, () => release());
      expect(row).toMatchObject({ decision: "allow", code: "client_cancelled", upstream_status: 200 });
      expect(row?.reason).toContain("while the upstream's answer was streaming");
    } finally {
      upstream.onCall = undefined;
    }
  });
});
