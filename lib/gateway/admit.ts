// Admitting a request in one statement: confirm what the lookup cache says (the grant, the server's revision, the
// session), count its calls and record its audit rows, in one transaction committed before anything is forwarded.
// Then, once the upstream has answered, its status and the timings are added to the forwarded rows (`complete`),
// grouped and off the answer's path. See lib/gateway/README.md ("How a request flows") and the migration
// 20261127000000_gateway_admit, whose `portcullis_admit` does the work (its latest version:
// 20261218000000_hot_tables_workspace_first, which names the workspace in every predicate).
import { randomUUID } from "node:crypto";
import { auditRowJson, type AuditRecord } from "@/lib/gateway/audit";
import { createBatcher } from "@/lib/gateway/batcher";
import type { Queryable } from "@/lib/db/queryable";
import { countersOf } from "@/lib/gateway/counter-store";
import type { CounterCheck } from "@/lib/policy/types";
import { createLogger } from "@/lib/log/log";

/** What a request's lookup said, to be confirmed in the admit statement. */
export interface Confirmation {
  /** The server's workspace: the grant, the session and every row and counter of the request must be its. */
  workspaceId: string;
  grantId: string;
  keyHash: string;
  serverId: string;
  revision: number;
  /** The SHA-256 of the session id the request names, or null. */
  sessionHash: string | null;
  /** Epoch ms: the session must have been used since (its idle limit). */
  sessionUsedSince: number;
}

export interface AdmitRow extends AuditRecord {
  /** Sent upstream: its outcome is completed later. */
  forwarded: boolean;
  /** The index of the call (in `calls`) this row records; the row is written only when that call was counted. */
  call: number | null;
}

export interface AdmitRequest {
  confirm: Confirmation;
  /** Per call, the counters it must be counted under (all or none). */
  calls: CounterCheck[][];
  rows: AdmitRow[];
}

export type AdmitResult =
  | { confirmed: false }
  | {
      confirmed: true;
      /** Per call: null when counted, else the keys of the counters at their max. */
      calls: (string[] | null)[];
      /** The id of each row, in order (rows of refused calls were not written). */
      ids: string[];
    };

export interface CallOutcome {
  upstreamStatus: number | null;
  upstreamMs: number | null;
  gatewayMs: number | null;
  /** Replaces the row's decision and code (an upstream that could not be reached). */
  decision?: "error";
  code?: string;
  /** Replaces the row's reason (what happened after the decision, such as the client hanging up). */
  reason?: string;
}

export interface AdmitStore {
  /** Rejects when the database cannot answer: nothing may then be forwarded. */
  admit(request: AdmitRequest): Promise<AdmitResult>;
  /**
   * Adds the upstream's outcome to forwarded rows; grouped, never awaited by the answer, failures logged. Fields left
   * null keep what the row has, so a later outcome (the client hanging up mid-stream) adds to an earlier one.
   */
  complete(workspaceId: string, ids: readonly string[], outcome: CallOutcome): void;
  /** Resolves once every outcome handed to `complete` so far is written (or failed): for shutdown and tests. */
  flush(): Promise<void>;
}

const gatewayLog = createLogger("gateway");

const ADMIT = `SELECT portcullis_admit($1::jsonb) AS result`;

// The outcome is committed without waiting for the WAL flush (set_config(..., true) lasts to the end of this
// statement's transaction): the answer has already gone, and a flush per outcome would hold up the admit
// statements' own flushes. PostgreSQL writes it out within a fraction of a second; a crash before that leaves the row
// forwarded with no status, which the trail shows as "no answer recorded". Rows are named by workspace and id, their
// primary key.
const COMPLETE = `
UPDATE audit_events e
   SET upstream_status = coalesce(t.upstream_status, e.upstream_status), upstream_ms = coalesce(t.upstream_ms, e.upstream_ms),
       gateway_ms = coalesce(t.gateway_ms, e.gateway_ms),
       decision = coalesce(t.decision, e.decision), code = coalesce(t.code, e.code), reason = coalesce(t.reason, e.reason)
  FROM json_to_recordset($1::json) AS t(workspace_id uuid, id uuid, upstream_status int, upstream_ms float8, gateway_ms float8, decision text, code text, reason text),
       (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit
 WHERE e.workspace_id = t.workspace_id AND e.id = t.id`;

/** A row as the admit statement reads it: the audit row, and whether it is forwarded and which call it records. */
function admitRowJson(r: AdmitRow, id: string) {
  // The row object is new: the two fields are added to it rather than copied with it into another.
  const row: ReturnType<typeof auditRowJson> & { forwarded?: boolean; call?: number | null } = auditRowJson(r, id);
  row.forwarded = r.forwarded;
  row.call = r.call;
  return row;
}

export function createAdmitStore(
  db: Queryable,
  options: { maxInFlight?: number; completeEveryMs?: number; log?: (line: string) => void } = {},
): AdmitStore {
  const log = options.log ?? ((line: string) => gatewayLog.error(line));
  // Each request as the statement reads it: counters as [key, window end, max], validated once, before grouping.
  const admits = createBatcher<{ request: AdmitRequest; ids: string[]; calls: [string, number, number][][] }, AdmitResult>(
    async (items) => {
      const reqs = items.map(({ request, ids, calls }) => ({
        c: {
          w: request.confirm.workspaceId,
          g: request.confirm.grantId,
          k: request.confirm.keyHash,
          s: request.confirm.serverId,
          r: request.confirm.revision,
          x: request.confirm.sessionHash,
          a: request.confirm.sessionUsedSince,
        },
        calls,
        rows: request.rows.map((r, i) => admitRowJson(r, ids[i]!)),
      }));
      const { rows } = await db.query<{ result: { ok: boolean; calls?: (string[] | null)[] }[] }>({
        name: "portcullis_gateway_admit",
        text: ADMIT,
        values: [JSON.stringify(reqs)],
      });
      const answers = rows[0]?.result;
      if (!Array.isArray(answers) || answers.length !== items.length) throw new Error("The admit statement returned no valid result.");
      return answers.map((answer, n): AdmitResult => {
        if (!answer.ok) return { confirmed: false };
        const calls = answer.calls ?? [];
        if (calls.length !== items[n]!.calls.length) throw new Error("The admit statement answered for the wrong calls.");
        return { confirmed: true, calls, ids: items[n]!.ids };
      });
    },
    { maxInFlight: options.maxInFlight ?? 2, name: "admit statement", log },
  );

  // Outcomes are gathered for up to `completeEveryMs` (or 1,000 of them) and written by one UPDATE: a statement per
  // answer would cost the database more than the admit statements themselves (measured at saturation: about 1,650
  // calls/s gathering for 20 ms, 2,300 for 200 ms, as many as before the admit statement).
  const completeEveryMs = options.completeEveryMs ?? 200;
  const queue: Record<string, unknown>[] = [];
  // Outcomes not yet taken by a write, by row id: a second one for the same row (a client hanging up mid-stream after
  // the status was queued) is merged into the first, as one UPDATE must not name a row twice.
  const queued = new Map<string, Record<string, unknown>>();
  let writing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  function schedule(): void {
    if (queue.length >= 1000) pump();
    else timer ??= setTimeout(pump, completeEveryMs);
  }
  function pump(): void {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    if (writing !== null || queue.length === 0) return;
    const batch = queue.splice(0, 1000);
    for (const entry of batch) queued.delete(entry.id as string);
    writing = db
      .query({ name: "portcullis_gateway_complete", text: COMPLETE, values: [JSON.stringify(batch)] })
      .then(
        () => {},
        (error: unknown) => log(`audit: the outcome of ${batch.length} forwarded call(s) could not be recorded: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        writing = null;
        if (queue.length > 0) schedule();
      });
  }

  return {
    admit(request) {
      let calls: [string, number, number][][];
      try {
        calls = request.calls.map((checks) => countersOf(checks).map((c): [string, number, number] => [c.key, c.windowEnd, c.max]));
      } catch (error) {
        return Promise.reject(error);
      }
      return admits.run({ request, ids: request.rows.map(() => randomUUID()), calls });
    },
    complete(workspaceId, ids, outcome) {
      for (const id of ids) {
        const entry: Record<string, unknown> = {
          workspace_id: workspaceId,
          id,
          upstream_status: outcome.upstreamStatus,
          upstream_ms: outcome.upstreamMs,
          gateway_ms: outcome.gatewayMs,
          decision: outcome.decision ?? null,
          code: outcome.code ?? null,
          reason: outcome.reason ?? null,
        };
        const earlier = queued.get(id);
        if (earlier) {
          for (const [field, value] of Object.entries(entry)) if (value !== null) earlier[field] = value;
          continue;
        }
        queued.set(id, entry);
        queue.push(entry);
      }
      schedule();
    },
    async flush() {
      while (writing !== null || queue.length > 0) {
        pump();
        await writing;
      }
    },
  };
}
