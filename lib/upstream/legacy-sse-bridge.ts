// Makes a legacy HTTP+SSE MCP server (the 2024-11-05 transport: one GET event stream that announces a POST endpoint,
// and every answer arriving on that stream) look like a Streamable HTTP server, so the gateway handler can forward
// to it unchanged. It is a fetch: the handler POSTs, GETs and DELETEs the server's URL as it would for any upstream.
import { randomBytes } from "node:crypto";
import type { FetchLike } from "@/lib/upstream/guarded-fetch";
import { createSseParser } from "@/lib/upstream/sse-parser";
import { serializeSseEvent } from "@/lib/upstream/sse-serializer";

export interface LegacySseBridgeOptions {
  /** Every upstream request goes through this fetch: the guarded fetch with the server's stored credentials. */
  fetch: FetchLike;
  /** A session with no request and no open stream for this long is closed (default 10 minutes). */
  idleMs?: number;
  /** How long the server may take to announce its message endpoint (default 10 s). */
  endpointTimeoutMs?: number;
  /** Sessions held at once, each one upstream connection (default 1,000). */
  maxSessions?: number;
  /** Requests awaiting an answer in one session (default 1,000). */
  maxPendingPerSession?: number;
  /** The longest event the server may send, in characters (default 4 Mi); a longer one closes the session. */
  maxEventLength?: number;
  /** Bytes a client may leave unread on one of its streams before that stream is cut off (default 16 MiB). */
  maxUnreadBytes?: number;
  /** Messages for no one (no POST stream waiting, no GET stream open) kept for the next GET (default 100). */
  maxBacklog?: number;
  now?: () => number;
}

export interface LegacySseBridge {
  fetch: FetchLike;
  /** Open sessions. */
  readonly size: number;
  /** Closes every session and its upstream stream. */
  close(): Promise<void>;
}

/** What a waiting request is answered with when the upstream stream ends. */
export const UPSTREAM_CLOSED = "The upstream server closed the connection";

const SESSION_HEADER = "mcp-session-id";
const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache" };
const encoder = new TextEncoder();

type Message = { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: unknown };
type Id = string | number;

const isRequest = (m: Message): m is Message & { id: Id; method: string } => typeof m.method === "string" && (typeof m.id === "string" || typeof m.id === "number");
const isResponse = (m: Message) => m.method === undefined && m.id !== undefined && ("result" in m || "error" in m);
/** 1 and "1" are different ids. */
const keyOf = (id: unknown) => `${typeof id}:${String(id)}`;
const errorResponse = (id: Id | null, message: string) => ({ jsonrpc: "2.0", id, error: { code: -32603, message } });

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** One SSE response to the client: a POST waiting for its answers, or the GET stream. Bounded by unread bytes. */
class Outlet {
  readonly stream: ReadableStream<Uint8Array>;
  /** The request ids (by key) this POST waits for, with their raw values. */
  readonly ids = new Map<string, Id>();
  readonly tokens = new Set<string>();
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private closed = false;

  constructor(private readonly maxUnreadBytes: number, private readonly onClose: (outlet: Outlet) => void) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        cancel: () => this.settle(),
      },
      new ByteLengthQueuingStrategy({ highWaterMark: maxUnreadBytes }),
    );
  }

  push(message: unknown): void {
    if (this.closed) return;
    const bytes = encoder.encode(serializeSseEvent({ type: "message", data: JSON.stringify(message) }));
    const room = this.controller.desiredSize ?? 0;
    if (room < bytes.byteLength && room < this.maxUnreadBytes) {
      // The client stopped reading: cut this stream off rather than hold its messages without bound. (One message
      // larger than the limit still passes when nothing is waiting: the event size limit bounds it.)
      this.controller.error(new Error("The client did not read its stream."));
      this.settle();
      return;
    }
    this.controller.enqueue(bytes);
  }

  end(): void {
    if (this.closed) return;
    this.controller.close();
    this.settle();
  }

  private settle(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
  }
}

interface Session {
  id: string;
  url: string;
  endpoint: URL | null;
  abort: AbortController;
  /** Open POST streams, oldest first. */
  posts: Set<Outlet>;
  pending: Map<string, Outlet>;
  progress: Map<string, Outlet>;
  listener: Outlet | null;
  backlog: unknown[];
  lastUsedAt: number;
  timer: NodeJS.Timeout | null;
  closed: boolean;
  /** Set until the endpoint event arrives: called with its data, or null when the stream ends first. */
  announce: ((data: string | null) => void) | null;
}

export function createLegacySseBridge(options: LegacySseBridgeOptions): LegacySseBridge {
  const idleMs = options.idleMs ?? 10 * 60_000;
  const endpointTimeoutMs = options.endpointTimeoutMs ?? 10_000;
  const maxSessions = options.maxSessions ?? 1_000;
  const maxPending = options.maxPendingPerSession ?? 1_000;
  const maxEventLength = options.maxEventLength ?? 4 * 1024 * 1024;
  const maxUnreadBytes = options.maxUnreadBytes ?? 16 * 1024 * 1024;
  const maxBacklog = options.maxBacklog ?? 100;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();

  function closeSession(session: Session, reason: string): void {
    if (session.closed) return;
    session.closed = true;
    sessions.delete(session.id);
    if (session.timer) clearTimeout(session.timer);
    session.announce?.(null);
    session.abort.abort();
    for (const outlet of [...session.posts]) {
      for (const id of outlet.ids.values()) outlet.push(errorResponse(id, reason));
      outlet.end();
    }
    session.listener?.end();
  }

  /** Closes the session once nothing has used it for `idleMs`; open streams keep it alive. */
  function armIdleTimer(session: Session, delay = idleMs): void {
    session.timer = setTimeout(() => {
      if (session.closed) return;
      const idle = now() - session.lastUsedAt;
      if (session.posts.size > 0 || session.listener !== null) return armIdleTimer(session);
      if (idle >= idleMs) return closeSession(session, "The session was idle too long.");
      armIdleTimer(session, idleMs - idle);
    }, delay);
    session.timer.unref?.();
  }

  function detach(session: Session, outlet: Outlet): void {
    session.lastUsedAt = now();
    session.posts.delete(outlet);
    for (const key of outlet.ids.keys()) if (session.pending.get(key) === outlet) session.pending.delete(key);
    for (const token of outlet.tokens) if (session.progress.get(token) === outlet) session.progress.delete(token);
    if (session.listener === outlet) session.listener = null;
  }

  /**
   * Routes one message of the upstream stream: an answer to the POST that asked; a progress notification to the POST
   * whose request carries its token; anything else (notifications, the server's own requests such as sampling) to the
   * oldest open POST stream, else the GET stream, else a short backlog for the next GET.
   */
  function deliver(session: Session, message: Message): void {
    if (isResponse(message)) {
      const key = keyOf(message.id);
      const outlet = session.pending.get(key);
      if (!outlet) return; // nobody waits any more (the client went away)
      session.pending.delete(key);
      outlet.ids.delete(key);
      outlet.push(message);
      if (outlet.ids.size === 0) outlet.end();
      return;
    }
    if (message.method === "notifications/progress") {
      const token = (message.params as { progressToken?: unknown } | undefined)?.progressToken;
      const outlet = token === undefined ? undefined : session.progress.get(keyOf(token));
      if (outlet) return outlet.push(message);
    }
    const oldest = session.posts.values().next();
    if (!oldest.done) return oldest.value.push(message);
    if (session.listener) return session.listener.push(message);
    session.backlog.push(message);
    if (session.backlog.length > maxBacklog) session.backlog.shift();
  }

  async function pump(session: Session, body: ReadableStream<Uint8Array>): Promise<void> {
    const parser = createSseParser(maxEventLength, {
      onEvent: ({ type, data }) => {
        if (data === null) return; // only an id or a retry: the bridge never reconnects
        if (type === "endpoint") {
          session.announce?.(data);
          return;
        }
        if (type !== "message") return;
        let message: unknown;
        try {
          message = JSON.parse(data);
        } catch {
          return; // not JSON: nothing a client could use
        }
        for (const m of Array.isArray(message) ? message : [message]) {
          if (typeof m === "object" && m !== null) deliver(session, m as Message);
        }
      },
    });
    // The parser drops the one leading byte order mark the standard allows.
    const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || session.closed) break;
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch {
      // a broken stream, an event over the size limit, or our own abort: all end the session
    } finally {
      void reader.cancel().catch(() => {});
      closeSession(session, UPSTREAM_CLOSED);
    }
  }

  /** Opens the server's event stream and waits for its message endpoint; a Response is a failure to hand back. */
  async function open(url: string, requestId: Id | null): Promise<Session | Response> {
    const fail = (message: string) => json(502, errorResponse(requestId, message));
    if (sessions.size >= maxSessions) {
      let lru: Session | undefined;
      for (const s of sessions.values()) if (s.posts.size === 0 && s.listener === null && (!lru || s.lastUsedAt < lru.lastUsedAt)) lru = s;
      if (!lru) return json(503, errorResponse(requestId, `Portcullis holds ${maxSessions} sessions with the legacy SSE server at ${url}, all busy: try again shortly.`), { "retry-after": "5" });
      closeSession(lru, "The session was closed to make room for a new one.");
    }
    const abort = new AbortController();
    const response = await options.fetch(url, { method: "GET", headers: { accept: "text/event-stream" }, signal: abort.signal });
    const type = response.headers.get("content-type") ?? "";
    if (!response.ok || !type.includes("text/event-stream") || !response.body) {
      abort.abort();
      await response.body?.cancel().catch(() => {});
      if (!response.ok) {
        const hint = response.status === 401 || response.status === 403 ? ": check the server's credentials in Portcullis" : "";
        return fail(`The legacy SSE server at ${url} answered HTTP ${response.status} when its event stream was opened${hint}.`);
      }
      return fail(`The legacy SSE server at ${url} did not answer with an event stream (content-type ${type || "none"}).`);
    }
    const session: Session = {
      id: randomBytes(24).toString("base64url"),
      url,
      endpoint: null,
      abort,
      posts: new Set(),
      pending: new Map(),
      progress: new Map(),
      listener: null,
      backlog: [],
      lastUsedAt: now(),
      timer: null,
      closed: false,
      announce: null,
    };
    const announced = new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), endpointTimeoutMs);
      session.announce = (data) => {
        clearTimeout(timer);
        session.announce = null;
        resolve(data);
      };
    });
    void pump(session, response.body);
    const data = await announced;
    if (data === null || session.closed) {
      const ended = session.closed;
      closeSession(session, UPSTREAM_CLOSED);
      return fail(ended
        ? `The legacy SSE server at ${url} closed its event stream before announcing its message endpoint.`
        : `The legacy SSE server at ${url} did not announce its message endpoint within ${Math.round(endpointTimeoutMs / 1000)} s.`);
    }
    let endpoint: URL;
    try {
      endpoint = new URL(data.trim(), url);
    } catch {
      closeSession(session, UPSTREAM_CLOSED);
      return fail(`The legacy SSE server at ${url} announced a message endpoint that is not a URL.`);
    }
    if (endpoint.origin !== new URL(url).origin) {
      // The credentials and the network checks were granted for the server's own origin, nowhere else.
      closeSession(session, UPSTREAM_CLOSED);
      return fail(`The legacy SSE server at ${url} announced a message endpoint on another origin (${endpoint.origin}); Portcullis only posts to the server's own origin.`);
    }
    session.endpoint = endpoint;
    sessions.set(session.id, session);
    armIdleTimer(session);
    return session;
  }

  /** POSTs one message to the endpoint; returns why it failed, or null. */
  async function send(session: Session, message: Message): Promise<string | null> {
    let response: Response;
    try {
      response = await options.fetch(session.endpoint!, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(message),
        signal: session.abort.signal,
      });
    } catch {
      return `The legacy SSE server at ${session.url} could not be reached.`;
    }
    await response.body?.cancel().catch(() => {});
    if (response.ok) return null;
    // The server forgot this session: every later message would fail the same way.
    if (response.status === 404) closeSession(session, `The legacy SSE server at ${session.url} no longer knows this session.`);
    return `The legacy SSE server at ${session.url} refused a message (HTTP ${response.status}).`;
  }

  async function post(url: string, sessionId: string | null, body: string): Promise<Response> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return json(400, { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
    }
    const messages = (Array.isArray(parsed) ? parsed : [parsed]).filter((m): m is Message => typeof m === "object" && m !== null);
    const requests = messages.filter(isRequest);
    const firstId = requests[0]?.id ?? null;

    let session: Session | undefined;
    let opened = false;
    if (sessionId === null) {
      if (!requests.some((r) => r.method === "initialize")) {
        return json(400, errorResponse(firstId, "This server speaks the legacy HTTP+SSE transport: initialize a session first."));
      }
      const result = await open(url, firstId);
      if (result instanceof Response) return result;
      session = result;
      opened = true;
    } else {
      session = sessions.get(sessionId);
      if (!session || session.url !== url) return json(404, errorResponse(firstId, "Unknown or expired session: initialize a new one."));
    }
    session.lastUsedAt = now();
    if (session.pending.size + requests.length > maxPending) {
      return json(503, errorResponse(firstId, "Too many requests are waiting for this server's answers: try again shortly."), { "retry-after": "1" });
    }

    // Waiting requests are registered before anything is sent: an answer can arrive before the POST's 202.
    let outlet: Outlet | null = null;
    if (requests.length > 0) {
      const current = session;
      outlet = new Outlet(maxUnreadBytes, (o) => detach(current, o));
      for (const request of requests) {
        const key = keyOf(request.id);
        outlet.ids.set(key, request.id);
        current.pending.set(key, outlet);
        const token = (request.params as { _meta?: { progressToken?: unknown } } | undefined)?._meta?.progressToken;
        if (token !== undefined) {
          outlet.tokens.add(keyOf(token));
          current.progress.set(keyOf(token), outlet);
        }
      }
      current.posts.add(outlet);
    }

    // One message per POST, in order: legacy servers (the SDK's SSEServerTransport among them) take no batches.
    for (let i = 0; i < messages.length; i++) {
      const failure = await send(session, messages[i]!);
      if (failure === null) continue;
      if (i === 0) {
        if (outlet) {
          detach(session, outlet);
          outlet.end();
        }
        if (opened) closeSession(session, failure);
        const errors = requests.map((r) => errorResponse(r.id, failure));
        return json(502, errors.length === 0 ? errorResponse(null, failure) : errors.length === 1 && !Array.isArray(parsed) ? errors[0] : errors);
      }
      // Some messages went through: answer the requests that were not sent on the stream instead.
      for (const m of messages.slice(i)) if (isRequest(m)) deliver(session, errorResponse(m.id, failure) as Message);
      break;
    }
    // A cancelled request is never answered: stop waiting for it, so its stream can end and the session idle out.
    for (const m of messages) {
      if (m.method !== "notifications/cancelled" || isRequest(m)) continue;
      const key = keyOf((m.params as { requestId?: unknown } | undefined)?.requestId);
      const waiting = session.pending.get(key);
      if (!waiting) continue;
      session.pending.delete(key);
      waiting.ids.delete(key);
      if (waiting.ids.size === 0) waiting.end();
    }
    const headers = { [SESSION_HEADER]: session.id };
    if (!outlet) return new Response(null, { status: 202, headers });
    return new Response(outlet.stream, { status: 200, headers: { ...SSE_HEADERS, ...headers } });
  }

  function listen(url: string, sessionId: string | null): Response {
    if (sessionId === null) return json(400, errorResponse(null, "Send the session id (Mcp-Session-Id) to open a stream."));
    const session = sessions.get(sessionId);
    if (!session || session.url !== url) return json(404, errorResponse(null, "Unknown or expired session: initialize a new one."));
    if (session.listener) return json(409, errorResponse(null, "This session already has a stream open."));
    session.lastUsedAt = now();
    const outlet = new Outlet(maxUnreadBytes, (o) => detach(session, o));
    session.listener = outlet;
    for (const message of session.backlog.splice(0)) outlet.push(message);
    return new Response(outlet.stream, { status: 200, headers: { ...SSE_HEADERS, [SESSION_HEADER]: session.id } });
  }

  const fetch: FetchLike = async (input, init = {}) => {
    const url = String(input);
    const method = (init.method ?? "GET").toUpperCase();
    const sessionId = new Headers(init.headers).get(SESSION_HEADER);
    if (method === "POST") return post(url, sessionId, init.body === undefined || init.body === null ? "" : await new Response(init.body).text());
    if (method === "GET") return listen(url, sessionId);
    if (method === "DELETE") {
      const session = sessionId === null ? undefined : sessions.get(sessionId);
      if (!session || session.url !== url) return json(404, errorResponse(null, "Unknown or expired session."));
      closeSession(session, "The session was ended by the client.");
      return new Response(null, { status: 200 });
    }
    return new Response(null, { status: 405, headers: { allow: "GET, POST, DELETE" } });
  };

  return {
    fetch,
    get size() {
      return sessions.size;
    },
    async close() {
      for (const session of [...sessions.values()]) closeSession(session, UPSTREAM_CLOSED);
    },
  };
}
