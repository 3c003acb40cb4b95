// Waits for a person's decision on a held call, in the gateway instance that holds it. One LISTEN connection per
// process hears every approval's status change (`portcullis_approvals`, fired by a trigger whatever instance or
// console made the change), so a decision reaches the call within milliseconds. A slower poll of the approvals
// still waited on covers the moments that connection is down (reconnecting) or missed a notification.
import type pg from "pg";
import type { ApprovalRef, ApprovalRow, ApprovalStore } from "@/lib/approvals/approval-store";

export const APPROVAL_CHANNEL = "portcullis_approvals";
/** A client's `notifications/cancelled` for a held call, told to every process: the one holding the call ends it. */
export const HELD_CALL_CANCEL_CHANNEL = "portcullis_held_call_cancels";
/**
 * A session's client asked for its event stream on another instance than the one that opened it early: told to every
 * process, the one holding it lets it go so the upstream (which allows one stream per session) can open it there.
 */
export const EARLY_STREAM_CHANNEL = "portcullis_early_streams";

export type WaitOutcome = { kind: "decided"; approval: ApprovalRow } | { kind: "timeout" } | { kind: "aborted" };

export interface ApprovalWaiter {
  /**
   * Resolves when the approval leaves `pending` (approved, rejected, expired, withdrawn elsewhere), when `timeoutMs`
   * has passed, or when `signal` aborts (the client went away). Never rejects.
   */
  wait(approval: ApprovalRef, options: { signal: AbortSignal; timeoutMs: number }): Promise<WaitOutcome>;
  /** Tells every process (this one too) that the held call with this key (an opaque digest) was cancelled. */
  cancelHeld(key: string, reason: string): Promise<void>;
  /** Called for each cancel any process tells; from this call on, this process listens. */
  onCancel(handler: (key: string, reason: string) => void): void;
  /** Tells every process to let go of the event stream it holds early for this session (by its id's digest). */
  releaseEarlyStream(sessionHash: string): Promise<void>;
  /** Called for each release any process asks for. */
  onReleaseEarlyStream(handler: (sessionHash: string) => void): void;
  close(): Promise<void>;
}

interface Waiting {
  settle(outcome: WaitOutcome): void;
}

/** The calls waiting on one approval, and its workspace (the notification names the id only). */
interface Waited {
  workspaceId: string;
  calls: Set<Waiting>;
}

export function createApprovalWaiter(
  store: Pick<ApprovalStore, "get" | "getMany">,
  options: {
    connect: () => Promise<pg.Client>;
    /** Sends a notification (pg_notify) on any connection. */
    publish?: (channel: string, payload: string) => Promise<void>;
    pollMs?: number;
    reconnectMs?: number;
    log?: (line: string) => void;
  },
): ApprovalWaiter {
  const pollMs = options.pollMs ?? 2_000;
  const reconnectMs = options.reconnectMs ?? 1_000;
  const waiting = new Map<string, Waited>();
  const cancelHandlers: ((key: string, reason: string) => void)[] = [];
  const releaseHandlers: ((sessionHash: string) => void)[] = [];
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let poller: ReturnType<typeof setInterval> | null = null;
  let closed = false;

  function settleAll(row: ApprovalRow): void {
    if (row.status === "pending") return;
    const waited = waiting.get(row.id);
    if (!waited || waited.workspaceId !== row.workspaceId) return;
    for (const w of [...waited.calls]) w.settle({ kind: "decided", approval: row });
  }

  /** Reads the approvals waited on with these ids now. */
  async function check(ids: string[]): Promise<void> {
    const refs = ids.flatMap((id) => {
      const waited = waiting.get(id);
      return waited ? [{ workspaceId: waited.workspaceId, id }] : [];
    });
    if (refs.length === 0) return;
    try {
      for (const row of await store.getMany(refs)) settleAll(row);
    } catch {
      // The database is unreachable: the next poll tries again; nothing is forwarded meanwhile.
    }
  }

  function listen(): Promise<void> {
    if (closed || client) return Promise.resolve();
    connecting ??= (async () => {
      let c: pg.Client | null = null;
      try {
        c = await options.connect();
        c.on("notification", (message) => {
          if (message.channel === APPROVAL_CHANNEL && message.payload && waiting.has(message.payload)) void check([message.payload]);
          if (message.channel === HELD_CALL_CANCEL_CHANNEL && message.payload) {
            const [key = "", reason = ""] = message.payload.split("\n");
            for (const handler of cancelHandlers) handler(key, reason);
          }
          if (message.channel === EARLY_STREAM_CHANNEL && message.payload) for (const handler of releaseHandlers) handler(message.payload);
        });
        c.on("error", (error) => {
          options.log?.(`approvals listener lost its connection (reconnecting): ${error.message}`);
          if (client === c) client = null;
          void c?.end().catch(() => {});
          if (waiting.size > 0) setTimeout(() => void listen().then(() => check([...waiting.keys()])), reconnectMs).unref();
        });
        await c.query(`LISTEN ${APPROVAL_CHANNEL}; LISTEN ${HELD_CALL_CANCEL_CHANNEL}; LISTEN ${EARLY_STREAM_CHANNEL}`);
        if (closed) {
          await c.end().catch(() => {});
          return;
        }
        client = c;
      } catch (error) {
        options.log?.(`approvals listener could not connect (polling instead): ${(error as Error).message}`);
        void c?.end().catch(() => {});
      } finally {
        connecting = null;
      }
    })();
    return connecting;
  }

  function startPolling(): void {
    if (poller) return;
    poller = setInterval(() => {
      if (waiting.size === 0) return;
      if (!client) void listen();
      void check([...waiting.keys()]);
    }, pollMs);
    poller.unref();
  }

  return {
    async wait({ workspaceId, id }, { signal, timeoutMs }) {
      if (signal.aborted) return { kind: "aborted" };
      await listen();
      startPolling();
      // The client may have gone while the listener connected: its abort event has fired already, and a listener
      // added now would never hear it (the hold would outlive its closed connection until the timeout).
      if (signal.aborted) return { kind: "aborted" };
      return new Promise<WaitOutcome>((resolve) => {
        let waited = waiting.get(id);
        if (!waited) waiting.set(id, (waited = { workspaceId, calls: new Set() }));
        const set = waited.calls;
        const entry: Waiting = {
          settle(outcome) {
            clearTimeout(timer);
            signal.removeEventListener("abort", onAbort);
            set.delete(entry);
            if (set.size === 0 && waiting.get(id)?.calls === set) waiting.delete(id);
            resolve(outcome);
          },
        };
        const onAbort = () => entry.settle({ kind: "aborted" });
        const timer = setTimeout(() => entry.settle({ kind: "timeout" }), timeoutMs);
        signal.addEventListener("abort", onAbort, { once: true });
        set.add(entry);
        // Decided before this instance was listening (or before the call was registered): read it once now.
        void check([id]);
      });
    },
    async cancelHeld(key, reason) {
      // One line; a NOTIFY payload holds 8000 bytes at most.
      await options.publish?.(HELD_CALL_CANCEL_CHANNEL, `${key}\n${reason.replace(/\s+/g, " ").slice(0, 200)}`);
    },
    async releaseEarlyStream(sessionHash) {
      await options.publish?.(EARLY_STREAM_CHANNEL, sessionHash.slice(0, 128));
    },
    onReleaseEarlyStream(handler) {
      releaseHandlers.push(handler);
      void listen();
    },
    onCancel(handler) {
      cancelHandlers.push(handler);
      // Listening from now on, not from this process's first held call: a cancel told before it listens is lost.
      void listen();
    },
    async close() {
      closed = true;
      if (poller) clearInterval(poller);
      poller = null;
      await connecting?.catch(() => {});
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
