// Gateway sessions: ids the gateway mints (never the upstream's), bound to one grant and server and mapped to the
// upstream's session. Kept in PostgreSQL, so any gateway instance serves any session (no sticky routing); the
// request's lookup (lib/gateway/lookup.ts) reads the session with the grant in the same round trip. Only the id's
// SHA-256 is stored. A session idle past the lookup's limit is unknown (404) and the client initializes a new one,
// as the spec asks; the rows are deleted by `deleteIdle`.
import crypto, { randomBytes } from "node:crypto";
import type { Queryable } from "@/lib/db/queryable";
import type { SessionStore } from "@/lib/gateway/types";

/** A session unused for this long is unknown (404), and its row is deleted by the housekeeping. */
export const SESSION_IDLE_MS = 24 * 60 * 60_000;

/** Only a session id's SHA-256 is stored and looked up. */
export const hashSessionId: (id: string) => string =
  // Every request naming a session hashes its id: Node's one-shot hash (20.12 and later) makes no Hash object for it.
  typeof crypto.hash === "function" ? (id) => crypto.hash("sha256", id, "hex") : (id) => crypto.createHash("sha256").update(id).digest("hex");

// Rows are named by their key, workspace first (migration 20261218000000_hot_tables_workspace_first).
const INSERT = `INSERT INTO gateway_sessions (workspace_id, id_hash, grant_id, server_id, upstream_session_id, protocol_version)
VALUES ($1::uuid, $2, $3::uuid, $4::uuid, $5, $6)`;
const TOUCH = `UPDATE gateway_sessions SET last_used_at = now() WHERE workspace_id = $1::uuid AND id_hash = $2`;
const DELETE = `DELETE FROM gateway_sessions WHERE workspace_id = $1::uuid AND id_hash = $2`;
const DELETE_IDLE = `DELETE FROM gateway_sessions WHERE last_used_at < to_timestamp($1::float8 / 1000)`;

export function createDatabaseSessionStore(db: Queryable, options: { touchEveryMs?: number; now?: () => number } = {}): SessionStore {
  const touchEveryMs = options.touchEveryMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const touched = new Map<string, number>();
  return {
    async create(session) {
      const id = randomBytes(24).toString("base64url");
      await db.query({
        name: "portcullis_session_insert",
        text: INSERT,
        values: [session.workspaceId, hashSessionId(id), session.grantId, session.serverId, session.upstreamSessionId, session.protocolVersion],
      });
      return id;
    },
    touch(id, session) {
      const t = now();
      if (t - Math.max(session.lastUsedAt, touched.get(id) ?? 0) < touchEveryMs) return;
      if (touched.size >= 100_000) touched.clear();
      touched.set(id, t);
      void db.query({ name: "portcullis_session_touch", text: TOUCH, values: [session.workspaceId, hashSessionId(id)] }).catch(() => {});
    },
    async delete(workspaceId, id) {
      touched.delete(id);
      await db.query({ name: "portcullis_session_delete", text: DELETE, values: [workspaceId, hashSessionId(id)] });
    },
    async deleteIdle(before) {
      const { rowCount } = await db.query({ name: "portcullis_session_delete_idle", text: DELETE_IDLE, values: [before] });
      return rowCount ?? 0;
    },
  };
}
