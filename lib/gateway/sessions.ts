// Gateway sessions: ids the gateway mints (never the upstream's), bound to one grant and server and mapped to the
// upstream's session. IN MEMORY, per process: with several gateway instances a client must stick to one instance
// (or the map must move to Postgres, a later step). A restart forgets sessions; clients then get 404 and
// re-initialize, as the spec asks them to.
import { randomBytes } from "node:crypto";

export interface GatewaySession {
  grantId: string;
  serverId: string;
  /** The upstream's Mcp-Session-Id, or null for a stateless upstream. */
  upstreamSessionId: string | null;
  protocolVersion: string | null;
  lastUsedAt: number;
}

export interface SessionMap {
  create(session: Omit<GatewaySession, "lastUsedAt">): string;
  get(id: string): GatewaySession | undefined;
  delete(id: string): void;
  readonly size: number;
}

/** Sessions idle longer than `idleMs` are forgotten (checked lazily); at most `max` are kept (oldest dropped). */
export function createSessionMap(options: { idleMs?: number; max?: number; now?: () => number } = {}): SessionMap {
  const idleMs = options.idleMs ?? 60 * 60_000;
  const max = options.max ?? 100_000;
  const now = options.now ?? Date.now;
  const map = new Map<string, GatewaySession>();
  return {
    create(session) {
      const id = randomBytes(24).toString("base64url");
      if (map.size >= max) {
        const oldest = map.keys().next();
        if (!oldest.done) map.delete(oldest.value);
      }
      map.set(id, { ...session, lastUsedAt: now() });
      return id;
    },
    get(id) {
      const session = map.get(id);
      if (!session) return undefined;
      if (now() - session.lastUsedAt > idleMs) {
        map.delete(id);
        return undefined;
      }
      session.lastUsedAt = now();
      return session;
    },
    delete(id) {
      map.delete(id);
    },
    get size() {
      return map.size;
    },
  };
}
