// The gateway's audit trail: one row per request, written with one INSERT. Argument names and a digest only
// (lib/mcp/argument-digest.ts), never argument values, headers or keys.
import { randomUUID } from "node:crypto";
import type { Queryable } from "@/lib/db/queryable";
import { storableText } from "@/lib/json/storable-text";

export type AuditDecision = "allow" | "deny" | "rate_limited" | "require_approval" | "error";

export interface AuditRecord {
  workspaceId: string;
  serverId: string | null;
  grantId: string | null;
  requestId: string;
  at?: Date;
  method: string | null;
  tool: string | null;
  decision: AuditDecision;
  code: string | null;
  rule: string | null;
  reason: string | null;
  upstreamStatus: number | null;
  gatewayMs: number | null;
  upstreamMs: number | null;
  argumentNames: string[];
  argumentsSha256: string | null;
}

/** One message's row as the handler plans it, before the request's own fields and timings are added. */
export type CallAudit = Omit<AuditRecord, "workspaceId" | "serverId" | "grantId" | "requestId" | "gatewayMs" | "upstreamMs" | "upstreamStatus">;

export interface AuditStore {
  /** Inserts the records (one statement); rejects when the database cannot answer. */
  record(records: readonly AuditRecord[]): Promise<void>;
}

const INSERT = `
INSERT INTO audit_events (id, workspace_id, server_id, grant_id, request_id, at, method, tool, decision, code, rule, reason,
                          upstream_status, gateway_ms, upstream_ms, argument_names, arguments_sha256)
SELECT t.id, t.workspace_id, t.server_id, t.grant_id, t.request_id, t.at, t.method, t.tool, t.decision, t.code, t.rule,
       t.reason, t.upstream_status, t.gateway_ms, t.upstream_ms,
       CASE WHEN t.argument_names IS NULL THEN ARRAY[]::text[] ELSE ARRAY(SELECT json_array_elements_text(t.argument_names)) END,
       t.arguments_sha256
  FROM json_to_recordset($1::json) AS t(id uuid, workspace_id uuid, server_id uuid, grant_id uuid, request_id text,
       at timestamptz, method text, tool text, decision text, code text, rule text, reason text, upstream_status int,
       gateway_ms float8, upstream_ms float8, argument_names json, arguments_sha256 text)`;

/** Longest kept text per field: a request can name a tool of megabytes, and a reason may quote it. */
const MAX_NAME_LENGTH = 512;
const MAX_REASON_LENGTH = 2_048;

/** `text` cut to `max` code units (marked with an ellipsis) and made storable (a cut may split a surrogate pair). */
function bounded(text: string, max: number): string {
  return storableText(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}
const boundedOrNull = (text: string | null, max: number) => (text === null ? null : bounded(text, max));

let isoMs = NaN;
let iso = "";
/** The current time as ISO 8601, made once per millisecond however many rows are written in it. */
function nowIso(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    iso = new Date(ms).toISOString();
  }
  return iso;
}

/**
 * A record as the JSON row the inserts read (json_to_recordset): snake_case columns, `at` defaulting to now. Text that
 * came from a request (method, tool, argument names, a reason quoting them) is bounded and made storable (U+0000 and
 * unpaired surrogates become U+FFFD): rows are written in statements shared with other requests, which one bad row
 * would fail.
 */
export function auditRowJson(r: AuditRecord, id: string = randomUUID()) {
  return {
    id,
    workspace_id: r.workspaceId,
    server_id: r.serverId,
    grant_id: r.grantId,
    request_id: bounded(r.requestId, MAX_NAME_LENGTH),
    at: r.at === undefined ? nowIso() : r.at.toISOString(),
    method: boundedOrNull(r.method, MAX_NAME_LENGTH),
    tool: boundedOrNull(r.tool, MAX_NAME_LENGTH),
    decision: r.decision,
    code: boundedOrNull(r.code, MAX_NAME_LENGTH),
    rule: boundedOrNull(r.rule, MAX_NAME_LENGTH),
    reason: boundedOrNull(r.reason, MAX_REASON_LENGTH),
    upstream_status: r.upstreamStatus,
    gateway_ms: r.gatewayMs,
    upstream_ms: r.upstreamMs,
    argument_names: r.argumentNames.slice(0, 256).map((name) => bounded(name, MAX_NAME_LENGTH)),
    arguments_sha256: r.argumentsSha256,
  };
}

export function createAuditStore(db: Queryable): AuditStore {
  return {
    async record(records) {
      if (records.length === 0) return;
      await db.query(INSERT, [JSON.stringify(records.map((r) => auditRowJson(r)))]);
    },
  };
}

interface Pending {
  records: readonly AuditRecord[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Groups concurrent audit writes: up to `maxInFlight` INSERTs run at once, and records that arrive meanwhile go into
 * the next one. Every caller still waits for the commit of the statement holding its records, so a row is durable
 * before the gateway answers. When a grouped INSERT fails, each caller's records are retried on their own, so one
 * caller's bad row cannot fail the others.
 */
export function groupAuditWrites(store: AuditStore, options: { maxInFlight?: number; maxRows?: number } = {}): AuditStore {
  const maxInFlight = options.maxInFlight ?? 1;
  const maxRows = options.maxRows ?? 500;
  let queue: Pending[] = [];
  let inFlight = 0;

  function take(): Pending[] {
    let rows = 0;
    let i = 0;
    while (i < queue.length && (i === 0 || rows + queue[i]!.records.length <= maxRows)) rows += queue[i++]!.records.length;
    const batch = queue.slice(0, i);
    queue = queue.slice(i);
    return batch;
  }

  async function write(batch: Pending[]): Promise<void> {
    try {
      await store.record(batch.length === 1 ? batch[0]!.records : batch.flatMap((p) => p.records));
      for (const p of batch) p.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      await Promise.all(batch.map((p) => store.record(p.records).then(p.resolve, p.reject)));
    }
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = take();
      inFlight++;
      void write(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return {
    record(records) {
      if (records.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queue.push({ records, resolve, reject });
        pump();
      });
    },
  };
}
