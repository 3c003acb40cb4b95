import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApprovalStore } from "@/lib/approvals/approval-store";
import { getPool } from "@/lib/db/client";
import { defaultMigrationsDir, migrate, readMigrations } from "@/lib/db/migrate";
import { createDatabaseSessionStore, hashSessionId } from "@/lib/gateway/sessions";
import { createTestDatabase, type TestDatabase } from "../test-database";

// Every table a gateway call writes is keyed by workspace first, so the data can be distributed by workspace (Citus,
// say) without a rewrite: README.md, "Many instances". Read from PostgreSQL's catalog of the migrated database, so a
// later migration that adds a key or an index not led by workspace_id fails here, and so does one that lets a hot
// statement reach a row without naming its workspace. Real PostgreSQL, no mocks.

/** The tables a gateway call writes: counters, the audit trail, sessions, approvals. */
const HOT_TABLES = ["rate_limit_counters", "audit_events", "gateway_sessions", "approvals"] as const;

/**
 * The only indexes of those tables not led by workspace_id: the housekeeping's sweeps, which look across every
 * workspace by design (on a distributed database, each shard sweeps its own rows). Adding one here is a decision.
 */
const SWEEP_INDEXES = new Set(["rate_limit_counters(window_end)", "gateway_sessions(last_used_at)", "approvals(status,expires_at)"]);

interface IndexRow {
  table: string;
  name: string;
  columns: string[];
  is_primary: boolean;
}

async function indexesOf(db: pg.Pool | pg.Client, tables: readonly string[]): Promise<IndexRow[]> {
  const { rows } = await db.query<IndexRow>(
    `SELECT t.relname AS table, i.relname AS name, ix.indisprimary AS is_primary,
            array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
       FROM pg_index ix
       JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND t.relname = ANY ($1)
      ORDER BY t.relname, i.relname`,
    [tables],
  );
  return rows;
}

describe("hot tables keyed by workspace first (the catalog)", () => {
  it("leads every hot table's primary key with workspace_id", async () => {
    const primaries = (await indexesOf(getPool(), HOT_TABLES)).filter((r) => r.is_primary);
    expect(primaries.map((r) => `${r.table}(${r.columns.join(",")})`).sort()).toEqual(
      ["approvals(workspace_id,id)", "audit_events(workspace_id,id)", "gateway_sessions(workspace_id,id_hash)", "rate_limit_counters(workspace_id,key)"],
    );
  });

  it("leads every other index of a hot table with workspace_id, but the housekeeping's sweeps", async () => {
    const indexes = (await indexesOf(getPool(), HOT_TABLES)).filter((r) => !r.is_primary);
    const notLed = indexes.filter((r) => r.columns[0] !== "workspace_id").map((r) => `${r.table}(${r.columns.join(",")})`);
    expect(notLed.sort()).toEqual([...SWEEP_INDEXES].sort());
    // The indexes a call and the console read by are there, led by the workspace.
    const led = indexes.filter((r) => r.columns[0] === "workspace_id").map((r) => `${r.table}(${r.columns.join(",")})`);
    expect(led).toEqual(
      expect.arrayContaining([
        "approvals(workspace_id,grant_id,server_id,tool,arguments_sha256)",
        "audit_events(workspace_id,at)",
        "audit_events(workspace_id,server_id,at)",
        "audit_events(workspace_id,grant_id,at)",
      ]),
    );
  });

  it("gives every hot table a workspace_id that is never null and names a workspace (a foreign key, deleted with it)", async () => {
    const { rows: columns } = await getPool().query<{ table_name: string; is_nullable: string; data_type: string }>(
      `SELECT table_name, is_nullable, data_type FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'workspace_id' AND table_name = ANY ($1) ORDER BY table_name`,
      [HOT_TABLES],
    );
    expect(columns).toEqual([...HOT_TABLES].sort().map((table_name) => ({ table_name, is_nullable: "NO", data_type: "uuid" })));
    const { rows: keys } = await getPool().query<{ table_name: string; columns: string[]; target: string; delete_rule: string }>(
      `SELECT c.conrelid::regclass::text AS table_name, c.confrelid::regclass::text AS target, c.confdeltype::text AS delete_rule,
              array(SELECT a.attname FROM unnest(c.conkey) k(attnum) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)::text[] AS columns
         FROM pg_constraint c
        WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY ($1) AND c.confrelid = 'workspaces'::regclass
        ORDER BY 1`,
      [HOT_TABLES],
    );
    expect(keys).toEqual([...HOT_TABLES].sort().map((table_name) => ({ table_name, columns: ["workspace_id"], target: "workspaces", delete_rule: "c" })));
  });
});

describe("the gateway's statements name the workspace", () => {
  let workspace: string;
  let other: string;
  let serverId: string;
  let grantId: string;

  beforeAll(async () => {
    const pool = getPool();
    [workspace, other, serverId, grantId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await pool.query(`INSERT INTO workspaces (id, name) VALUES ($1, 'first'), ($2, 'second')`, [workspace, other]);
    await pool.query(`INSERT INTO mcp_servers (id, workspace_id, name, url) VALUES ($1, $2, 'keys', 'http://127.0.0.1:9/mcp')`, [serverId, workspace]);
    await pool.query(
      `INSERT INTO grants (id, workspace_id, name, key_prefix, key_hash, created_by) VALUES ($1, $2, 'keys', 'pcg_x', $3, 'test')`,
      [grantId, workspace, randomUUID()],
    );
  });

  it("uses, waits on and withdraws an approval only in its own workspace", async () => {
    const store = createApprovalStore(getPool());
    const call = { grantId, serverId, tool: "send_email", argumentsSha256: "a".repeat(64) };
    const id = await store.create({ workspaceId: workspace, ...call, arguments: { to: "x" }, argumentNames: ["to"], rule: null, reason: null, waitingUntil: Date.now() + 60_000 });
    const elsewhere = { workspaceId: other, id };
    expect(await store.findOpen({ workspaceId: other, ...call })).toBeNull();
    expect(await store.get(elsewhere)).toBeNull();
    expect(await store.getMany([elsewhere])).toEqual([]);
    expect(await store.waitAgain(elsewhere, Date.now() + 60_000)).toBe(false);
    expect(await store.withdraw(elsewhere)).toBe(false);
    await getPool().query(`UPDATE approvals SET status = 'approved' WHERE id = $1`, [id]);
    expect(await store.use(elsewhere)).toBe(false);
    const own = { workspaceId: workspace, id };
    expect(await store.findOpen({ workspaceId: workspace, ...call })).toMatchObject({ id, status: "approved" });
    expect((await store.getMany([own, elsewhere])).map((r) => r.id)).toEqual([id]);
    expect(await store.use(own)).toBe(true);
    expect(await store.get(own)).toMatchObject({ status: "used" });
  });

  it("touches and deletes a session only in its own workspace", async () => {
    const sessions = createDatabaseSessionStore(getPool(), { touchEveryMs: 0 });
    const id = await sessions.create({ workspaceId: workspace, grantId, serverId, upstreamSessionId: null, protocolVersion: "2025-06-18" });
    const stored = async () =>
      (await getPool().query<{ workspace_id: string }>(`SELECT workspace_id FROM gateway_sessions WHERE id_hash = $1`, [hashSessionId(id)])).rows;
    expect(await stored()).toEqual([{ workspace_id: workspace }]);
    await sessions.delete(other, id);
    expect(await stored()).toHaveLength(1);
    await sessions.delete(workspace, id);
    expect(await stored()).toHaveLength(0);
  });
});

describe("the migration that keys them by workspace first", () => {
  const MIGRATION = "20261218000000_hot_tables_workspace_first";
  let db: TestDatabase;
  let client: pg.Client;
  let before: string;

  beforeAll(async () => {
    db = await createTestDatabase("workspace_keys");
    // The migrations up to this one, applied to a database that then gets rows of every kind.
    before = mkdtempSync(path.join(os.tmpdir(), "portcullis-migrations-"));
    for (const { name } of readMigrations()) {
      if (name < MIGRATION) cpSync(path.join(defaultMigrationsDir(), name), path.join(before, name), { recursive: true });
    }
    await migrate(db.url, before);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  }, 60_000);

  afterAll(async () => {
    await client?.end();
    await db?.drop();
    if (before) rmSync(before, { recursive: true, force: true });
  });

  it("keeps every row, each in its workspace: counters by their grant or server, sessions by their grant", async () => {
    expect(readMigrations().map((m) => m.name)).toContain(MIGRATION);
    const [a, b] = [randomUUID(), randomUUID()];
    const [serverA, serverB, grantA, grantB, gone] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await client.query(`INSERT INTO workspaces (id, name) VALUES ($1, 'a'), ($2, 'b')`, [a, b]);
    await client.query(`INSERT INTO mcp_servers (id, workspace_id, name, url) VALUES ($1, $2, 's', 'http://127.0.0.1:9/mcp'), ($3, $4, 's', 'http://127.0.0.1:9/mcp')`, [serverA, a, serverB, b]);
    await client.query(
      `INSERT INTO grants (id, workspace_id, name, key_prefix, key_hash, created_by) VALUES ($1, $2, 'g', 'p', $3, 't'), ($4, $5, 'g', 'p', $6, 't')`,
      [grantA, a, randomUUID(), grantB, b, randomUUID()],
    );
    const windowEnd = "now() + interval '1 hour'";
    const keys = {
      grantA: `calls:hour:1:grant:${grantA}`,
      serverB: `calls:hour:1:server:${serverB}`,
      // Upper-case hex names the same grant.
      grantBUpper: `mail.out-2:day:1:grant:${grantB.toUpperCase()}`,
      goneGrant: `calls:hour:1:grant:${gone}`,
    };
    await client.query(
      `INSERT INTO rate_limit_counters (key, window_end, count) VALUES ($1, ${windowEnd}, 3), ($2, ${windowEnd}, 4), ($3, ${windowEnd}, 5), ($4, ${windowEnd}, 6)`,
      [keys.grantA, keys.serverB, keys.grantBUpper, keys.goneGrant],
    );
    await client.query(
      `INSERT INTO gateway_sessions (id_hash, grant_id, server_id) VALUES ('session-a', $1, $2), ('session-b', $3, $4)`,
      [grantA, serverA, grantB, serverB],
    );
    const approvals = [randomUUID(), randomUUID()];
    await client.query(
      `INSERT INTO approvals (id, workspace_id, server_id, grant_id, tool, arguments, arguments_sha256, expires_at)
       VALUES ($1, $2, $3, $4, 't', '{"k": 1}', 'x', now() + interval '1 hour'), ($5, $6, $7, $8, 't', NULL, 'y', now())`,
      [approvals[0], a, serverA, grantA, approvals[1], b, serverB, grantB],
    );
    const events = Array.from({ length: 50 }, () => randomUUID());
    await client.query(
      `INSERT INTO audit_events (id, workspace_id, server_id, grant_id, request_id, decision, forwarded, upstream_status)
       SELECT e.id, CASE WHEN e.n % 2 = 0 THEN $2::uuid ELSE $3::uuid END, NULL, NULL, 'r' || e.n, 'allow', true, 200
         FROM unnest($1::uuid[]) WITH ORDINALITY AS e(id, n)`,
      [events, a, b],
    );
    const snapshot = async (table: string, columns: string) => (await client.query(`SELECT ${columns} FROM ${table} ORDER BY 1`)).rows;
    const auditBefore = await snapshot("audit_events", "id, workspace_id, request_id, decision, forwarded, upstream_status, at");
    const approvalsBefore = await snapshot("approvals", "id, workspace_id, status, arguments, expires_at");

    const result = await migrate(db.url);
    expect(result.applied[0]).toBe(MIGRATION);

    expect(await snapshot("audit_events", "id, workspace_id, request_id, decision, forwarded, upstream_status, at")).toEqual(auditBefore);
    expect(await snapshot("approvals", "id, workspace_id, status, arguments, expires_at")).toEqual(approvalsBefore);
    expect(await snapshot("gateway_sessions", "id_hash, workspace_id, grant_id")).toEqual([
      { id_hash: "session-a", workspace_id: a, grant_id: grantA },
      { id_hash: "session-b", workspace_id: b, grant_id: grantB },
    ]);
    // A counter of a grant that no longer exists could never be read again: it is the only row not kept.
    const byKey = (x: { key: string }, y: { key: string }) => (x.key < y.key ? -1 : 1);
    const counters = (await snapshot("rate_limit_counters", "key, workspace_id, count")).sort(byKey);
    expect(counters).toEqual(
      [
        { key: keys.grantA, workspace_id: a, count: 3 },
        { key: keys.serverB, workspace_id: b, count: 4 },
        { key: keys.grantBUpper, workspace_id: b, count: 5 },
      ].sort(byKey),
    );
    // The migrated database has the keys the catalog tests above check.
    const primaries = (await indexesOf(client, HOT_TABLES)).filter((r) => r.is_primary).map((r) => r.columns[0]);
    expect(primaries).toEqual(["workspace_id", "workspace_id", "workspace_id", "workspace_id"]);
  });
});
