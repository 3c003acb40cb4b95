// Upstream event streams (the session's GET stream) opened by the gateway itself right after `initialized`, held
// until the client's own GET arrives on this instance and takes one over. Without this, a server that sends a request
// of its own (sampling, elicitation) just after a call starts would find no stream open yet: clients send their GET
// and their first call at the same moment, and the gateway's lookups can reorder them. The held stream is not read
// (the connection's flow control bounds what waits in it) and is closed if the client does not claim it in time,
// e.g. because its GET went to another instance.

import { hashSessionId } from "@/lib/gateway/sessions";

export interface EarlyEventStreams {
  /** Opens the stream (waiting at most `headersMs` for its headers) and holds it for `sessionId` when it is SSE. */
  open(sessionId: string, fetchStream: (signal: AbortSignal) => Promise<Response>): Promise<void>;
  /** The held stream of a session, handed over once; undefined when there is none. */
  take(sessionId: string): Response | undefined;
  /** Closes a session's held stream (DELETE). */
  drop(sessionId: string): void;
  /** Closes the held stream of the session whose id has this digest (another instance took the client's GET). */
  dropByHash(sessionHash: string): void;
  readonly size: number;
}

export function createEarlyEventStreams(options: { headersMs?: number; holdMs?: number; max?: number } = {}): EarlyEventStreams {
  const headersMs = options.headersMs ?? 1_000;
  const holdMs = options.holdMs ?? 10_000;
  const max = options.max ?? 10_000;
  const held = new Map<string, { response: Response; timer: ReturnType<typeof setTimeout> }>();
  // Session ids by their digest, for a release told by another instance (which never sends the id itself).
  const byHash = new Map<string, string>();

  const close = (response: Response) => void response.body?.cancel().catch(() => {});
  const drop = (sessionId: string) => {
    const entry = held.get(sessionId);
    if (!entry) return;
    held.delete(sessionId);
    byHash.delete(hashSessionId(sessionId));
    clearTimeout(entry.timer);
    close(entry.response);
  };

  return {
    async open(sessionId, fetchStream) {
      if (held.size >= max) return;
      const controller = new AbortController();
      const deadline = setTimeout(() => controller.abort(), headersMs);
      let response: Response;
      try {
        response = await fetchStream(controller.signal);
      } catch {
        return; // no stream (timeout, refused): the client's own GET is forwarded as usual
      } finally {
        clearTimeout(deadline);
      }
      if (response.status !== 200 || !(response.headers.get("content-type") ?? "").includes("text/event-stream")) {
        close(response);
        return;
      }
      drop(sessionId);
      const timer = setTimeout(() => drop(sessionId), holdMs);
      timer.unref?.();
      held.set(sessionId, { response, timer });
      byHash.set(hashSessionId(sessionId), sessionId);
    },
    take(sessionId) {
      const entry = held.get(sessionId);
      if (!entry) return undefined;
      held.delete(sessionId);
      byHash.delete(hashSessionId(sessionId));
      clearTimeout(entry.timer);
      return entry.response;
    },
    drop,
    dropByHash(sessionHash) {
      const sessionId = byHash.get(sessionHash);
      if (sessionId !== undefined) drop(sessionId);
    },
    get size() {
      return held.size;
    },
  };
}
