import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as auditRoute from "@/app/api/v1/audit-events/route";
import { signUp } from "@/lib/accounts/sign-up";
import { buildOpenApiDocument } from "@/lib/api-contract/openapi";
import type { Caller } from "@/lib/auth/caller";
import type { AuditDecision } from "@/lib/audit/decisions";
import { getPool, getPrisma } from "@/lib/db/client";
import { createAuditStore, type AuditRecord } from "@/lib/gateway/audit";
import { createGrant } from "@/lib/grants/grants";
import { createToken } from "@/lib/tokens/create-token";

// The audit trail API through its route handler, with a personal access token, on the real database. Rows are
// written with the gateway's own insert (createAuditStore); each carries its label as request id.

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

interface Event {
  id: string;
  cursor: string;
  at: string;
  requestId: string;
  server: { id: string; name: string | null } | null;
  grant: { id: string; name: string | null } | null;
  tool: string | null;
  decision: AuditDecision;
  argumentNames: string[];
  argumentsSha256: string | null;
}
interface Page {
  events: Event[];
  nextCursor: string | null;
}

interface Account {
  caller: Caller;
  token: string;
}

async function newAccount(label: string): Promise<Account> {
  const account = await signUp({ email: `audit-${label}-${randomUUID()}@example.com`, password: "a long test password" });
  const caller: Caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "token" };
  return { caller, token: (await createToken(caller, { name: "audit" })).token };
}

async function newServer(caller: Caller, name: string): Promise<string> {
  const id = randomUUID();
  await getPrisma().mcpServer.create({ data: { id, workspaceId: caller.workspaceId, name, url: "http://127.0.0.1:9/mcp" } });
  return id;
}

function get(account: Account, query = ""): Promise<Response> {
  return (auditRoute.GET as Handler)(
    new Request(`http://localhost/api/v1/audit-events${query ? `?${query}` : ""}`, { headers: { authorization: `Bearer ${account.token}` } }),
    { params: Promise.resolve({}) },
  );
}

async function page(account: Account, query: Record<string, string> | string = {}): Promise<Page> {
  const response = await get(account, typeof query === "string" ? query : new URLSearchParams(query).toString());
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Page;
}

const labels = (events: Event[]) => events.map((e) => e.requestId);

const T = Date.parse("2026-03-01T12:00:00.000Z");
const minutes = (n: number) => new Date(T - n * 60_000);

interface Fixture {
  label: string;
  at: Date;
  server: "files" | "mail" | "gone" | null;
  grant: "claude" | "cursor" | "gone" | null;
  tool: string | null;
  decision: AuditDecision;
}

// Nine calls a minute or more apart, then 30 in the same millisecond (T), to page through.
const FIXTURES: Fixture[] = [
  { label: "a1", at: minutes(60), server: "files", grant: "claude", tool: "read_file", decision: "allow" },
  { label: "a2", at: minutes(50), server: "files", grant: "claude", tool: "write_file", decision: "deny" },
  { label: "a3", at: minutes(40), server: "files", grant: "cursor", tool: "read_file", decision: "rate_limited" },
  { label: "a4", at: minutes(30), server: "mail", grant: "cursor", tool: "send_email", decision: "require_approval" },
  { label: "a5", at: minutes(20), server: "mail", grant: "claude", tool: "send_email", decision: "error" },
  { label: "a6", at: minutes(10), server: "gone", grant: "gone", tool: "read_file", decision: "allow" },
  { label: "a7", at: minutes(5), server: "files", grant: null, tool: null, decision: "allow" },
  { label: "a8", at: minutes(2), server: "mail", grant: "cursor", tool: "get_inbox", decision: "allow" },
  { label: "a9", at: minutes(1), server: "mail", grant: "cursor", tool: "getxinbox", decision: "allow" },
  ...Array.from({ length: 30 }, (_, i): Fixture => ({ label: `b${i}`, at: new Date(T), server: "files", grant: "claude", tool: "read_file", decision: "allow" })),
];

let mine: Account;
let theirs: Account;
const servers: Record<string, string> = {};
const grants: Record<string, string> = {};

function record(account: Account, overrides: Partial<AuditRecord> & Pick<AuditRecord, "requestId">): AuditRecord {
  return {
    workspaceId: account.caller.workspaceId, serverId: null, grantId: null, method: "tools/call", tool: null, decision: "allow",
    code: null, rule: null, reason: null, upstreamStatus: null, gatewayMs: 1.2, upstreamMs: null, argumentNames: [],
    argumentsSha256: null, ...overrides,
  };
}

beforeAll(async () => {
  [mine, theirs] = await Promise.all([newAccount("mine"), newAccount("theirs")]);
  servers.files = await newServer(mine.caller, "files");
  servers.mail = await newServer(mine.caller, "mail");
  servers.gone = randomUUID(); // deleted since: the trail keeps the id, without a foreign key
  grants.claude = (await createGrant(mine.caller, { name: "claude code", serverIds: [servers.files] })).grant.id;
  grants.cursor = (await createGrant(mine.caller, { name: "cursor", serverIds: [servers.mail] })).grant.id;
  const gone = await createGrant(mine.caller, { name: "old laptop", serverIds: [servers.files] });
  await getPrisma().grant.delete({ where: { id: gone.grant.id } });
  grants.gone = gone.grant.id;

  const store = createAuditStore(getPool());
  await store.record(
    FIXTURES.map((f) =>
      record(mine, {
        requestId: f.label, at: f.at, serverId: f.server && servers[f.server]!, grantId: f.grant && grants[f.grant]!,
        method: f.tool ? "tools/call" : "tools/list", tool: f.tool, decision: f.decision,
        argumentNames: f.tool ? ["path"] : [], argumentsSha256: f.tool ? "ab".repeat(32) : null,
      }),
    ),
  );
  // Another workspace's calls, one of them even naming this workspace's server id: never shown here.
  await store.record([
    record(theirs, { requestId: "theirs-1", at: minutes(3), serverId: servers.files, tool: "read_file" }),
    record(theirs, { requestId: "theirs-2", at: new Date(T), tool: "read_file", decision: "deny" }),
  ]);
});

/** Every call of the workspace, by following nextCursor with the given page size. */
async function everything(account: Account, limit: number, extra: Record<string, string> = {}): Promise<Event[]> {
  const events: Event[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const result: Page = await page(account, { ...extra, limit: String(limit), ...(cursor ? { cursor } : {}) });
    events.push(...result.events);
    if (!result.nextCursor) return events;
    expect(result.events).toHaveLength(limit);
    cursor = result.nextCursor;
  }
  throw new Error("more than 100 pages");
}

describe("GET /api/v1/audit-events", () => {
  it("lists the workspace's calls newest first, with server and grant names, and 'deleted' as a null name", async () => {
    const { events, nextCursor } = await page(mine, { limit: "200" });
    expect(nextCursor).toBeNull();
    expect(events).toHaveLength(FIXTURES.length);
    expect(labels(events).slice(-9)).toEqual(["a9", "a8", "a7", "a6", "a5", "a4", "a3", "a2", "a1"]);
    const byLabel = new Map(events.map((e) => [e.requestId, e]));
    expect(byLabel.get("a1")).toMatchObject({
      server: { id: servers.files, name: "files" },
      grant: { id: grants.claude, name: "claude code" },
      tool: "read_file",
      decision: "allow",
      argumentNames: ["path"],
      argumentsSha256: "ab".repeat(32),
    });
    expect(byLabel.get("a6")).toMatchObject({ server: { id: servers.gone, name: null }, grant: { id: grants.gone, name: null } });
    expect(byLabel.get("a7")).toMatchObject({ grant: null, tool: null });
  });

  it("defaults to 50 calls a page", async () => {
    const store = createAuditStore(getPool());
    const account = await newAccount("fifty");
    await store.record(Array.from({ length: 51 }, (_, i) => record(account, { requestId: `r${i}`, at: new Date(T - i) })));
    const first = await page(account);
    expect(first.events).toHaveLength(50);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(labels((await page(account, { cursor: first.nextCursor! })).events)).toEqual(["r50"]);
  });

  const expected = (keep: (f: Fixture) => boolean) => FIXTURES.filter(keep).map((f) => f.label).sort();
  it.each<[string, () => Record<string, string> | string, (f: Fixture) => boolean]>([
    ["a server", () => ({ serverId: servers.mail! }), (f) => f.server === "mail"],
    ["a deleted server", () => ({ serverId: servers.gone! }), (f) => f.server === "gone"],
    ["a grant", () => ({ grantId: grants.cursor! }), (f) => f.grant === "cursor"],
    ["a deleted grant", () => ({ grantId: grants.gone! }), (f) => f.grant === "gone"],
    ["an exact tool name", () => ({ tool: "send_email" }), (f) => f.tool === "send_email"],
    ["a tool pattern, where _ is not a wildcard", () => ({ tool: "get_*" }), (f) => f.tool === "get_inbox"],
    ["a tool pattern in the middle", () => ({ tool: "*_file" }), (f) => f.tool?.endsWith("_file") ?? false],
    ["tool calls (a method)", () => ({ method: "tools/call" }), (f) => f.tool !== null],
    ["another method", () => ({ method: "tools/list" }), (f) => f.tool === null],
    ["one decision", () => ({ decision: "deny" }), (f) => f.decision === "deny"],
    ["several decisions", () => ({ decision: "rate_limited,error" }), (f) => f.decision === "rate_limited" || f.decision === "error"],
    ["a repeated decision parameter", () => "decision=require_approval&decision=error", (f) => f.decision === "require_approval" || f.decision === "error"],
    ["a start time (inclusive)", () => ({ from: minutes(40).toISOString() }), (f) => f.at >= minutes(40)],
    ["an end time (exclusive)", () => ({ to: minutes(20).toISOString() }), (f) => f.at < minutes(20)],
    ["a range with an offset", () => ({ from: "2026-03-01T12:40:00+01:00", to: "2026-03-01T14:00:00+02:00" }), (f) => f.at >= minutes(20) && f.at < minutes(0)],
    ["filters combined", () => ({ serverId: servers.files!, decision: "allow", tool: "read_file", to: minutes(0).toISOString() }), (f) => f.label === "a1"],
    ["an unknown server id", () => ({ serverId: randomUUID() }), () => false],
    ["an unknown grant id", () => ({ grantId: randomUUID() }), () => false],
    ["an unknown tool", () => ({ tool: "rm_rf" }), () => false],
  ])("narrows to %s", async (_name, query, keep) => {
    const events = (await page(mine, typeof query() === "string" ? `${query()}&limit=200` : { ...(query() as Record<string, string>), limit: "200" })).events;
    expect(labels(events).sort()).toEqual(expected(keep));
  });

  it.each([1, 7, 30])("pages through every call exactly once, %i at a time, across rows in the same millisecond", async (limit) => {
    const events = await everything(mine, limit);
    expect(events).toHaveLength(FIXTURES.length);
    expect(new Set(events.map((e) => e.id)).size).toBe(FIXTURES.length);
    expect(labels(events).sort()).toEqual(FIXTURES.map((f) => f.label).sort());
    // Newest first by (at, id): ties within a millisecond are ordered by id, descending.
    for (let i = 1; i < events.length; i++) {
      const [a, b] = [events[i - 1]!, events[i]!];
      expect(a.at > b.at || (a.at === b.at && a.id > b.id), `${a.requestId} before ${b.requestId}`).toBe(true);
    }
  });

  it("pages within a filter", async () => {
    const events = await everything(mine, 4, { decision: "allow", serverId: servers.files! });
    expect(labels(events).sort()).toEqual(expected((f) => f.decision === "allow" && f.server === "files"));
  });

  it("returns only calls newer than `after`, and says when more arrived than one page holds", async () => {
    const account = await newAccount("live");
    const store = createAuditStore(getPool());
    await store.record([record(account, { requestId: "old-1", at: minutes(2) }), record(account, { requestId: "old-2", at: minutes(1) })]);
    const first = await page(account);
    expect(labels(first.events)).toEqual(["old-2", "old-1"]);
    const newest = first.events[0]!.cursor;
    expect((await page(account, { after: newest })).events).toEqual([]);

    // Three new calls, two of them in the same millisecond as the newest one the client has.
    const sameMs = new Date(first.events[0]!.at);
    await store.record([
      record(account, { requestId: "new-1", at: sameMs }),
      record(account, { requestId: "new-2", at: sameMs }),
      record(account, { requestId: "new-3", at: new Date(T) }),
    ]);
    const oldTwinIsNewer = first.events[0]!.id;
    const fresh = await page(account, { after: newest });
    // Rows of the same millisecond are newer when their id sorts after the one the client has.
    const sameMsRows = (await getPrisma().auditEvent.findMany({ where: { workspaceId: account.caller.workspaceId, requestId: { in: ["new-1", "new-2"] } } }))
      .filter((r) => r.id > oldTwinIsNewer)
      .map((r) => r.requestId);
    expect(labels(fresh.events).sort()).toEqual(["new-3", ...sameMsRows].sort());
    expect(fresh.events[0]!.requestId).toBe("new-3");
    expect(fresh.nextCursor).toBeNull();

    // Everything newer than the oldest call, a page of one at a time: nextCursor with `after` fills the gap exactly.
    const oldest = first.events[1]!.cursor;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const result: Page = await page(account, { after: oldest, limit: "1", ...(cursor ? { cursor } : {}) });
      seen.push(...labels(result.events));
      cursor = result.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(["new-1", "new-2", "new-3", "old-2"]);
    expect(labels((await page(account, { after: fresh.events[0]!.cursor })).events)).toEqual([]);
  });

  it("never shows another workspace's calls, even one naming this workspace's server", async () => {
    const all = await everything(mine, 200);
    expect(labels(all).filter((l) => l.startsWith("theirs"))).toEqual([]);
    expect(labels((await page(theirs)).events)).toEqual(["theirs-2", "theirs-1"]);
    expect(labels((await page(theirs, { serverId: servers.files! })).events)).toEqual(["theirs-1"]);
    const theirsEvent = (await page(theirs)).events[0]!;
    // A cursor from their trail only positions a page in ours; it never reveals their rows.
    expect(labels((await page(mine, { cursor: theirsEvent.cursor, limit: "200" })).events).some((l) => l.startsWith("theirs"))).toBe(false);
  });

  it.each([
    ["limit=0", "query.limit"],
    ["limit=201", "query.limit"],
    ["limit=ten", "query.limit"],
    ["decision=maybe", "query.decision"],
    ["decision=deny&decision=maybe", "query.decision"],
    ["serverId=files", "query.serverId"],
    ["grantId=123", "query.grantId"],
    ["from=yesterday", "query.from"],
    ["to=2026-03-01T12:00:00", "query.to"],
    [`from=${encodeURIComponent(minutes(1).toISOString())}&to=${encodeURIComponent(minutes(2).toISOString())}`, "query.to"],
    ["cursor=not-a-cursor", "query.cursor"],
    [`after=${Buffer.from("2026-03-01T12:00:00.000Z/nope").toString("base64url")}`, "query.after"],
    ["tool=", "query.tool"],
    ["method=", "query.method"],
    ["server=files", "query.server"],
  ])("refuses %s as problem+json naming %s", async (query, path) => {
    const response = await get(mine, query);
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await response.json()) as { code: string; errors: { path: string; message: string }[] };
    expect(problem.code).toBe("validation_failed");
    expect(problem.errors.map((e) => e.path)).toEqual([path]);
  });

  it("is described in the OpenAPI document, every filter a query parameter", () => {
    const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, { parameters: { name: string; in: string }[]; responses: Record<string, unknown> }>> };
    const operation = doc.paths["/api/v1/audit-events"]!.get!;
    expect(operation.parameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual(
      ["after", "cursor", "decision", "from", "grantId", "limit", "method", "serverId", "to", "tool"].map((n) => `query:${n}`),
    );
    expect(operation.responses["200"]).toMatchObject({ content: { "application/json": { schema: { properties: { events: {}, nextCursor: {} } } } } });
    expect(operation.responses["422"]).toEqual({ $ref: "#/components/responses/Problem" });
  });

  it("requires credentials", async () => {
    const response = await (auditRoute.GET as Handler)(new Request("http://localhost/api/v1/audit-events"), { params: Promise.resolve({}) });
    expect(response.status).toBe(401);
  });
});
