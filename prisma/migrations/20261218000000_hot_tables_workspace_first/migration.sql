-- Every table the gateway writes on a call is keyed by workspace first (issue 20): rate-limit counters, the audit
-- trail, gateway sessions and approvals. Their primary keys, and the indexes a call or the console reads them by,
-- lead with workspace_id, and the gateway's statements name the workspace in every predicate on them. So the data can
-- be distributed by workspace (Citus, with workspace_id as the distribution column) without changing a key; the
-- README ("Many instances") says what else that would take. The only indexes not led by workspace_id are the
-- housekeeping sweeps' (window_end, last_used_at, status + expires_at), which look across every workspace by design.
--
-- Every row is kept, but for rate-limit counters of a grant or server that no longer exists: they could never be
-- counted or read again, and would have been deleted when their window ended. Instances of the previous release
-- fail closed against the migrated database (their statements name the old keys): upgrade every instance together.

-- 1. Rate-limit counters: a counter's workspace is its grant's or server's, named by the key's last two parts
--    (lib/policy/evaluate.ts: counter:window:window start:scope:scope id).
ALTER TABLE "rate_limit_counters" ADD COLUMN "workspace_id" UUID;
UPDATE "rate_limit_counters" c
   SET "workspace_id" = owner.workspace_id
  FROM (SELECT k.key, coalesce(g.workspace_id, s.workspace_id) AS workspace_id
          FROM (SELECT key, regexp_match(key, ':(grant|server):([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$') AS m
                  FROM "rate_limit_counters") k
          LEFT JOIN "grants" g ON k.m[1] = 'grant' AND g.id = k.m[2]::uuid
          LEFT JOIN "mcp_servers" s ON k.m[1] = 'server' AND s.id = k.m[2]::uuid) owner
 WHERE owner.key = c.key;
DELETE FROM "rate_limit_counters" WHERE "workspace_id" IS NULL;
ALTER TABLE "rate_limit_counters" ALTER COLUMN "workspace_id" SET NOT NULL;
ALTER TABLE "rate_limit_counters" DROP CONSTRAINT "rate_limit_counters_pkey";
ALTER TABLE "rate_limit_counters" ADD CONSTRAINT "rate_limit_counters_pkey" PRIMARY KEY ("workspace_id", "key");
ALTER TABLE "rate_limit_counters" ADD CONSTRAINT "rate_limit_counters_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 2. The audit trail: its rows already carry their workspace. The console's filters by server and by grant always
--    name the workspace too (lib/audit/list-audit-events.ts), so their indexes lead with it as the others do.
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_pkey";
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_pkey" PRIMARY KEY ("workspace_id", "id");
DROP INDEX "audit_events_server_id_at_idx";
CREATE INDEX "audit_events_workspace_id_server_id_at_idx" ON "audit_events"("workspace_id", "server_id", "at");
DROP INDEX "audit_events_grant_id_at_idx";
CREATE INDEX "audit_events_workspace_id_grant_id_at_idx" ON "audit_events"("workspace_id", "grant_id", "at");

-- 3. Gateway sessions: a session's workspace is its grant's (every session has its grant: the key cascades).
ALTER TABLE "gateway_sessions" ADD COLUMN "workspace_id" UUID;
UPDATE "gateway_sessions" x SET "workspace_id" = g.workspace_id FROM "grants" g WHERE g.id = x.grant_id;
ALTER TABLE "gateway_sessions" ALTER COLUMN "workspace_id" SET NOT NULL;
ALTER TABLE "gateway_sessions" DROP CONSTRAINT "gateway_sessions_pkey";
ALTER TABLE "gateway_sessions" ADD CONSTRAINT "gateway_sessions_pkey" PRIMARY KEY ("workspace_id", "id_hash");
ALTER TABLE "gateway_sessions" ADD CONSTRAINT "gateway_sessions_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 4. Approvals: the index a retry of a held call finds its approval by leads with the workspace too.
ALTER TABLE "approvals" DROP CONSTRAINT "approvals_pkey";
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_pkey" PRIMARY KEY ("workspace_id", "id");
DROP INDEX "approvals_grant_id_server_id_tool_arguments_sha256_idx";
CREATE INDEX "approvals_workspace_id_call_idx" ON "approvals"("workspace_id", "grant_id", "server_id", "tool", "arguments_sha256");

-- 5. Counting several calls at once (lib/gateway/counter-store.ts): as 20261126020000_gateway_hot_path's, for the
--    counters of one workspace.
DROP FUNCTION portcullis_consume(TEXT[], FLOAT8[], INTEGER[], INTEGER);
CREATE FUNCTION portcullis_consume(ws UUID, keys TEXT[], ends_ms FLOAT8[], maxes INTEGER[], n INTEGER)
RETURNS TABLE (granted INTEGER, exhausted TEXT[]) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  full_keys TEXT[];
  room INTEGER;
  given INTEGER;
BEGIN
  PERFORM 1 FROM rate_limit_counters c WHERE c.workspace_id = ws AND c.key = ANY (keys) ORDER BY c.key FOR UPDATE;
  SELECT array_agg(t.key ORDER BY t.key) INTO full_keys
    FROM unnest(keys, maxes) AS t(key, max) JOIN rate_limit_counters c ON c.workspace_id = ws AND c.key = t.key
   WHERE c.count >= t.max;
  IF full_keys IS NOT NULL THEN
    RETURN QUERY SELECT 0, full_keys;
    RETURN;
  END IF;

  INSERT INTO rate_limit_counters (workspace_id, key, window_end, count)
  SELECT ws, t.key, to_timestamp(t.end_ms / 1000), 0
    FROM unnest(keys, ends_ms) AS t(key, end_ms)
   ORDER BY t.key
  ON CONFLICT (workspace_id, key) DO NOTHING;
  PERFORM 1 FROM rate_limit_counters c WHERE c.workspace_id = ws AND c.key = ANY (keys) ORDER BY c.key FOR UPDATE;

  SELECT min(GREATEST(t.max - c.count, 0)) INTO room
    FROM unnest(keys, maxes) AS t(key, max) JOIN rate_limit_counters c ON c.workspace_id = ws AND c.key = t.key;
  given := LEAST(n, COALESCE(room, 0));
  IF given > 0 THEN
    UPDATE rate_limit_counters c SET count = c.count + given WHERE c.workspace_id = ws AND c.key = ANY (keys);
  END IF;

  RETURN QUERY
  SELECT given, COALESCE(array_agg(t.key ORDER BY t.key) FILTER (WHERE c.count >= t.max), '{}')
    FROM unnest(keys, maxes) AS t(key, max) JOIN rate_limit_counters c ON c.workspace_id = ws AND c.key = t.key;
END $$;

-- 6. The admit statement (20261216000000_gateway_admit_oauth_tokens), with the workspace named: each request's
--    confirmation carries "w", its server's workspace, and the grant, the server, the OAuth token and the session
--    must all be that workspace's. Counters are (workspace, key) pairs, upserted and locked in that order, and the
--    rows are written to the confirmed workspace, whatever workspace a row names. Everything else is unchanged.
CREATE OR REPLACE FUNCTION portcullis_admit(reqs JSONB) RETURNS JSONB LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  confirmed BOOLEAN[];
  result JSONB;
  wanted_ws UUID[];
  wanted_keys TEXT[];
  got INTEGER;
  inc_ws UUID[];
  inc_keys TEXT[];
  inc_n INTEGER[];
  lw UUID[];
  lk TEXT[];
  -- Each locked counter as its workspace id (always 36 characters) followed by its key, to find it by position.
  lid TEXT[];
  lc INTEGER[];
  added INTEGER[];
  req JSONB;
  ws TEXT;
  counted JSONB;
  one_call JSONB;
  full_keys TEXT[];
  p INTEGER;
BEGIN
  WITH r AS MATERIALIZED (
         SELECT r.v, r.i, r.w,
                EXISTS (SELECT 1 FROM grants g JOIN grant_servers gs ON gs.grant_id = g.id
                         WHERE g.id = (r.v->'c'->>'g')::uuid AND g.workspace_id = r.w AND g.revoked_at IS NULL
                           AND gs.server_id = (r.v->'c'->>'s')::uuid
                           AND (g.key_hash = r.v->'c'->>'k'
                                OR EXISTS (SELECT 1 FROM oauth_tokens ot
                                            WHERE ot.token_hash = r.v->'c'->>'k' AND ot.workspace_id = r.w AND ot.kind = 'access'
                                              AND ot.grant_id = g.id AND ot.server_id = (r.v->'c'->>'s')::uuid
                                              AND ot.revoked_at IS NULL AND ot.expires_at > now())))
            AND EXISTS (SELECT 1 FROM mcp_servers s
                         WHERE s.id = (r.v->'c'->>'s')::uuid AND s.workspace_id = r.w AND s.gateway_revision = (r.v->'c'->>'r')::int)
            AND (r.v->'c'->>'x' IS NULL
                 OR EXISTS (SELECT 1 FROM gateway_sessions x
                             WHERE x.workspace_id = r.w AND x.id_hash = r.v->'c'->>'x' AND x.grant_id = (r.v->'c'->>'g')::uuid
                               AND x.server_id = (r.v->'c'->>'s')::uuid
                               AND x.last_used_at >= to_timestamp((r.v->'c'->>'a')::float8 / 1000))) AS ok
           FROM (SELECT e.v, e.i, (e.v->'c'->>'w')::uuid AS w FROM jsonb_array_elements(reqs) WITH ORDINALITY AS e(v, i)) r),
       -- What the confirmed requests' calls ask of each counter.
       want AS MATERIALIZED (
         SELECT r.w AS workspace_id, c->>0 AS key, min((c->>1)::float8) AS window_end, min((c->>2)::int) AS max, count(*)::int AS n
           FROM r, jsonb_array_elements(r.v->'calls') AS one(call), jsonb_array_elements(one.call) AS c
          WHERE r.ok
          GROUP BY r.w, c->>0),
       -- Every counter wanted is locked; it is incremented by n only where all n fit (a new row: inserted at n, or
       -- at 0 when n is over its max). RETURNING gives the rows inserted or updated.
       up AS (
         INSERT INTO rate_limit_counters AS t (workspace_id, key, window_end, count)
         SELECT w.workspace_id, w.key, to_timestamp(w.window_end / 1000), CASE WHEN w.n <= w.max THEN w.n ELSE 0 END
           FROM want w
          ORDER BY w.workspace_id, w.key
         ON CONFLICT (workspace_id, key) DO UPDATE SET count = t.count + EXCLUDED.count
          WHERE EXCLUDED.count > 0
            AND t.count + EXCLUDED.count <= (SELECT w.max FROM want w WHERE w.workspace_id = EXCLUDED.workspace_id AND w.key = EXCLUDED.key)
         RETURNING t.workspace_id, t.key, t.count),
       inc AS (
         SELECT array_agg(u.workspace_id) AS ws, array_agg(u.key) AS keys, array_agg(w.n) AS n
           FROM up u JOIN want w ON w.workspace_id = u.workspace_id AND w.key = u.key
          WHERE u.count > 0)
  SELECT array_agg(r.ok ORDER BY r.i),
         jsonb_agg(CASE WHEN r.ok
                        THEN jsonb_build_object('ok', true, 'calls', (SELECT coalesce(jsonb_agg(NULL::jsonb), '[]') FROM jsonb_array_elements(r.v->'calls')))
                        ELSE '{"ok": false}' END ORDER BY r.i),
         (SELECT array_agg(w.workspace_id ORDER BY w.workspace_id, w.key) FROM want w),
         (SELECT array_agg(w.key ORDER BY w.workspace_id, w.key) FROM want w),
         coalesce(cardinality(min(inc.keys)), 0), min(inc.ws), min(inc.keys), min(inc.n)
    INTO confirmed, result, wanted_ws, wanted_keys, got, inc_ws, inc_keys, inc_n
    FROM r, inc;

  IF got < coalesce(cardinality(wanted_keys), 0) THEN
    -- A counter without room for every call: undo, then count call by call (all of a call's counters or none).
    IF got > 0 THEN
      UPDATE rate_limit_counters c SET count = c.count - d.n
        FROM unnest(inc_ws, inc_keys, inc_n) AS d(workspace_id, key, n)
       WHERE c.workspace_id = d.workspace_id AND c.key = d.key;
    END IF;
    SELECT array_agg(c.workspace_id ORDER BY c.workspace_id, c.key), array_agg(c.key ORDER BY c.workspace_id, c.key),
           array_agg(c.count ORDER BY c.workspace_id, c.key)
      INTO lw, lk, lc
      FROM rate_limit_counters c
      JOIN unnest(wanted_ws, wanted_keys) AS d(workspace_id, key) ON c.workspace_id = d.workspace_id AND c.key = d.key;
    lid := ARRAY(SELECT x.w::text || x.k FROM unnest(lw, lk) WITH ORDINALITY AS x(w, k, o) ORDER BY x.o);
    added := array_fill(0, ARRAY[coalesce(cardinality(lk), 0)]);
    result := '[]';
    FOR i IN 1..jsonb_array_length(reqs) LOOP
      req := reqs->(i - 1);
      IF NOT confirmed[i] THEN
        result := result || jsonb_build_array(jsonb_build_object('ok', false));
        CONTINUE;
      END IF;
      ws := (req->'c'->>'w')::uuid::text;
      counted := '[]';
      FOR j IN 0..jsonb_array_length(req->'calls') - 1 LOOP
        one_call := req->'calls'->j;
        full_keys := '{}';
        FOR k IN 0..jsonb_array_length(one_call) - 1 LOOP
          p := array_position(lid, ws || (one_call->k->>0));
          -- A row gone since it was locked (a window deleted as expired): refused, never counted blindly.
          IF p IS NULL OR lc[p] + added[p] >= (one_call->k->>2)::int THEN
            full_keys := full_keys || (one_call->k->>0);
          END IF;
        END LOOP;
        IF cardinality(full_keys) = 0 THEN
          FOR k IN 0..jsonb_array_length(one_call) - 1 LOOP
            p := array_position(lid, ws || (one_call->k->>0));
            added[p] := added[p] + 1;
          END LOOP;
          counted := counted || jsonb_build_array(NULL::jsonb);
        ELSE
          counted := counted || jsonb_build_array(to_jsonb(full_keys));
        END IF;
      END LOOP;
      result := result || jsonb_build_array(jsonb_build_object('ok', true, 'calls', counted));
    END LOOP;
    IF lk IS NOT NULL THEN
      UPDATE rate_limit_counters c SET count = c.count + d.n
        FROM unnest(lw, lk, added) AS d(workspace_id, key, n)
       WHERE c.workspace_id = d.workspace_id AND c.key = d.key AND d.n > 0;
    END IF;
  END IF;

  -- The rows of confirmed requests, but for those of calls that were not counted (the gateway records their refusal).
  INSERT INTO audit_events (id, workspace_id, server_id, grant_id, request_id, at, method, tool, decision, code, rule,
                            reason, upstream_status, gateway_ms, upstream_ms, argument_names, arguments_sha256, forwarded)
  SELECT t.id, (r.v->'c'->>'w')::uuid, t.server_id, t.grant_id, t.request_id, t.at, t.method, t.tool, t.decision, t.code, t.rule,
         t.reason, t.upstream_status, t.gateway_ms, t.upstream_ms,
         CASE WHEN t.argument_names IS NULL THEN ARRAY[]::text[] ELSE ARRAY(SELECT jsonb_array_elements_text(t.argument_names)) END,
         t.arguments_sha256, t.forwarded
    FROM jsonb_array_elements(reqs) WITH ORDINALITY AS r(v, i),
         jsonb_to_recordset(r.v->'rows') AS t(id uuid, server_id uuid, grant_id uuid, request_id text,
           at timestamptz, method text, tool text, decision text, code text, rule text, reason text, upstream_status int,
           gateway_ms float8, upstream_ms float8, argument_names jsonb, arguments_sha256 text, forwarded boolean, call int)
   WHERE confirmed[r.i] AND (t.call IS NULL OR result->(r.i::int - 1)->'calls'->t.call = 'null'::jsonb);

  RETURN result;
END $$;
