-- The gateway's hot path (issue 5).

-- 1. A revision per server, bumped whenever what the gateway caches about it changes: a new policy version, or any
--    change to its tools. The gateway reads it with the grant on every request and rebuilds its cached compiled
--    policy and tool list only when it moved, so a cache can never serve a stale policy or tool status.
ALTER TABLE "mcp_servers" ADD COLUMN "gateway_revision" INTEGER NOT NULL DEFAULT 0;

CREATE FUNCTION portcullis_bump_gateway_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE mcp_servers SET gateway_revision = gateway_revision + 1
   WHERE id IN (SELECT DISTINCT server_id FROM changed_rows);
  RETURN NULL;
END $$;

CREATE TRIGGER policy_versions_bump_gateway_revision AFTER INSERT ON "policy_versions"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION portcullis_bump_gateway_revision();
CREATE TRIGGER tools_insert_bump_gateway_revision AFTER INSERT ON "tools"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION portcullis_bump_gateway_revision();
CREATE TRIGGER tools_update_bump_gateway_revision AFTER UPDATE ON "tools"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION portcullis_bump_gateway_revision();
CREATE TRIGGER tools_delete_bump_gateway_revision AFTER DELETE ON "tools"
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION portcullis_bump_gateway_revision();

-- 2. Gateway sessions, shared by every instance: the id the client holds is stored as its SHA-256 only.
CREATE TABLE "gateway_sessions" (
    "id_hash" TEXT NOT NULL,
    "grant_id" UUID NOT NULL,
    "server_id" UUID NOT NULL,
    "upstream_session_id" TEXT,
    "protocol_version" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gateway_sessions_pkey" PRIMARY KEY ("id_hash")
);
CREATE INDEX "gateway_sessions_last_used_at_idx" ON "gateway_sessions"("last_used_at");
ALTER TABLE "gateway_sessions" ADD CONSTRAINT "gateway_sessions_grant_id_fkey" FOREIGN KEY ("grant_id") REFERENCES "grants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "gateway_sessions" ADD CONSTRAINT "gateway_sessions_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 3. Counting `n` calls at once, all or nothing per call, for a group of concurrent calls with the same counters.
--    It locks the existing rows in key order (no deadlocks); a full counter refuses at once, with no write at all.
--    Otherwise it creates the missing rows at 0, locks them too, grants as many of the n calls as every counter has
--    room for, adds that to each, and names the counters that are now full. Each statement of a VOLATILE function
--    reads the latest committed rows (READ COMMITTED), and the row locks are held until the call commits.
CREATE FUNCTION portcullis_consume(keys TEXT[], ends_ms FLOAT8[], maxes INTEGER[], n INTEGER)
RETURNS TABLE (granted INTEGER, exhausted TEXT[]) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  full_keys TEXT[];
  room INTEGER;
  given INTEGER;
BEGIN
  PERFORM 1 FROM rate_limit_counters c WHERE c.key = ANY (keys) ORDER BY c.key FOR UPDATE;
  SELECT array_agg(t.key ORDER BY t.key) INTO full_keys
    FROM unnest(keys, maxes) AS t(key, max) JOIN rate_limit_counters c ON c.key = t.key
   WHERE c.count >= t.max;
  IF full_keys IS NOT NULL THEN
    RETURN QUERY SELECT 0, full_keys;
    RETURN;
  END IF;

  INSERT INTO rate_limit_counters (key, window_end, count)
  SELECT t.key, to_timestamp(t.end_ms / 1000), 0
    FROM unnest(keys, ends_ms) AS t(key, end_ms)
   ORDER BY t.key
  ON CONFLICT (key) DO NOTHING;
  PERFORM 1 FROM rate_limit_counters c WHERE c.key = ANY (keys) ORDER BY c.key FOR UPDATE;

  SELECT min(GREATEST(t.max - c.count, 0)) INTO room
    FROM unnest(keys, maxes) AS t(key, max) JOIN rate_limit_counters c ON c.key = t.key;
  given := LEAST(n, COALESCE(room, 0));
  IF given > 0 THEN
    UPDATE rate_limit_counters c SET count = c.count + given WHERE c.key = ANY (keys);
  END IF;

  RETURN QUERY
  SELECT given, COALESCE(array_agg(t.key ORDER BY t.key) FILTER (WHERE c.count >= t.max), '{}')
    FROM unnest(keys, maxes) AS t(key, max) JOIN rate_limit_counters c ON c.key = t.key;
END $$;
