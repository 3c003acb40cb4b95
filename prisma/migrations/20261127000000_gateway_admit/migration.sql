-- The gateway admits a call in one statement (issue 5): it confirms what its in-memory lookup cache says, counts the
-- call and records it, in one transaction committed before anything is forwarded. The upstream's status and the
-- timings are added to the row once the answer is back (lib/gateway/admit.ts).

-- 1. What the gateway caches about a server now also moves its revision: where it sends calls (url), with what
--    (the stored credentials) and how (the detected transport). A cached entry is used only at the revision the
--    admit statement confirms, so it can never send a call to an old address or with old credentials.
CREATE FUNCTION portcullis_bump_server_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.gateway_revision := OLD.gateway_revision + 1;
  RETURN NEW;
END $$;

CREATE TRIGGER mcp_servers_bump_gateway_revision BEFORE UPDATE ON "mcp_servers" FOR EACH ROW
  WHEN (OLD.url IS DISTINCT FROM NEW.url
     OR OLD.credential_ciphertext IS DISTINCT FROM NEW.credential_ciphertext
     OR OLD.detected_transport IS DISTINCT FROM NEW.detected_transport
     OR OLD.workspace_id IS DISTINCT FROM NEW.workspace_id)
  EXECUTE FUNCTION portcullis_bump_server_revision();

-- 2. Whether a message was sent to the upstream. A forwarded row is written before the forward; its status and
--    timings follow when the answer is back, so a forwarded row without a status is a call whose answer was not
--    recorded (still in flight, or the gateway stopped). Older rows were written after the answer.
ALTER TABLE "audit_events" ADD COLUMN "forwarded" BOOLEAN NOT NULL DEFAULT false;
UPDATE "audit_events" SET "forwarded" = true WHERE "upstream_status" IS NOT NULL;
-- Room on each page for the outcome update to stay on the page (a HOT update: no index entries to add).
ALTER TABLE "audit_events" SET (fillfactor = 70);

-- 3. Admitting a group of requests at once (one statement per group; lib/gateway/admit.ts builds `reqs`):
--    [{ "c": { "g": grant id, "k": key hash, "s": server id, "r": revision, "x": session hash or null,
--              "a": epoch ms a session must have been used since },
--       "calls": [[[counter key, window end (epoch ms), max], ...], ...],
--       "rows": [audit row, with "call": the index of its call in "calls", or null]}, ...]
--    For each request, in order: confirmed when the grant is unrevoked and granted the server, the server is at
--    revision "r" and the session (when named) is live; otherwise nothing of it is counted or recorded. Each call of
--    a confirmed request is counted under all of its counters or none (a counter at its max refuses it), in order,
--    under row locks taken in key order (no deadlocks); the missing rows are created at 0 first. Rows of refused
--    calls are not inserted: the gateway records their refusals. Returns, per request,
--    { "ok": confirmed, "calls": [null when counted, else the full counters' keys] }.
CREATE FUNCTION portcullis_admit(reqs JSONB) RETURNS JSONB LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  n INTEGER := jsonb_array_length(reqs);
  confirmed BOOLEAN[];
  lk TEXT[];
  lc INTEGER[];
  added INTEGER[];
  result JSONB := '[]';
  req JSONB;
  counted JSONB;
  one_call JSONB;
  counter JSONB;
  full_keys TEXT[];
  p INTEGER;
BEGIN
  SELECT array_agg(
           EXISTS (SELECT 1 FROM grants g JOIN grant_servers gs ON gs.grant_id = g.id
                    WHERE g.id = (r.v->'c'->>'g')::uuid AND g.key_hash = r.v->'c'->>'k' AND g.revoked_at IS NULL
                      AND gs.server_id = (r.v->'c'->>'s')::uuid)
       AND EXISTS (SELECT 1 FROM mcp_servers s
                    WHERE s.id = (r.v->'c'->>'s')::uuid AND s.gateway_revision = (r.v->'c'->>'r')::int)
       AND (r.v->'c'->>'x' IS NULL
            OR EXISTS (SELECT 1 FROM gateway_sessions x
                        WHERE x.id_hash = r.v->'c'->>'x' AND x.grant_id = (r.v->'c'->>'g')::uuid
                          AND x.server_id = (r.v->'c'->>'s')::uuid
                          AND x.last_used_at >= to_timestamp((r.v->'c'->>'a')::float8 / 1000)))
         ORDER BY r.i)
    INTO confirmed
    FROM jsonb_array_elements(reqs) WITH ORDINALITY AS r(v, i);

  -- The counters of the confirmed requests' calls: created at 0 when missing, then locked in key order.
  SELECT array_agg(k.key ORDER BY k.key) INTO lk
    FROM (SELECT DISTINCT c->>0 AS key
            FROM jsonb_array_elements(reqs) WITH ORDINALITY AS r(v, i),
                 jsonb_array_elements(r.v->'calls') AS one(call),
                 jsonb_array_elements(one.call) AS c
           WHERE confirmed[r.i]) k;
  IF lk IS NOT NULL THEN
    INSERT INTO rate_limit_counters (key, window_end, count)
    SELECT c->>0, to_timestamp(min((c->>1)::float8) / 1000), 0
      FROM jsonb_array_elements(reqs) WITH ORDINALITY AS r(v, i),
           jsonb_array_elements(r.v->'calls') AS one(call),
           jsonb_array_elements(one.call) AS c
     WHERE confirmed[r.i]
     GROUP BY c->>0
     ORDER BY c->>0
    ON CONFLICT (key) DO NOTHING;
    SELECT array_agg(l.key ORDER BY l.key), array_agg(l.count ORDER BY l.key) INTO lk, lc
      FROM (SELECT c.key, c.count FROM rate_limit_counters c WHERE c.key = ANY (lk) ORDER BY c.key FOR UPDATE) l;
    added := array_fill(0, ARRAY[coalesce(cardinality(lk), 0)]);
  END IF;

  FOR i IN 1..n LOOP
    req := reqs->(i - 1);
    IF NOT confirmed[i] THEN
      result := result || jsonb_build_array(jsonb_build_object('ok', false));
      CONTINUE;
    END IF;
    counted := '[]';
    FOR one_call IN SELECT value FROM jsonb_array_elements(req->'calls') LOOP
      full_keys := '{}';
      FOR counter IN SELECT value FROM jsonb_array_elements(one_call) LOOP
        p := array_position(lk, counter->>0);
        -- A row gone since it was locked (a window deleted as expired): refused, never counted blindly.
        IF p IS NULL OR lc[p] + added[p] >= (counter->>2)::int THEN
          full_keys := full_keys || (counter->>0);
        END IF;
      END LOOP;
      IF cardinality(full_keys) = 0 THEN
        FOR counter IN SELECT value FROM jsonb_array_elements(one_call) LOOP
          p := array_position(lk, counter->>0);
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
      FROM unnest(lk, added) AS d(key, n)
     WHERE c.key = d.key AND d.n > 0;
  END IF;

  INSERT INTO audit_events (id, workspace_id, server_id, grant_id, request_id, at, method, tool, decision, code, rule,
                            reason, upstream_status, gateway_ms, upstream_ms, argument_names, arguments_sha256, forwarded)
  SELECT t.id, t.workspace_id, t.server_id, t.grant_id, t.request_id, t.at, t.method, t.tool, t.decision, t.code, t.rule,
         t.reason, t.upstream_status, t.gateway_ms, t.upstream_ms,
         CASE WHEN t.argument_names IS NULL THEN ARRAY[]::text[] ELSE ARRAY(SELECT jsonb_array_elements_text(t.argument_names)) END,
         t.arguments_sha256, t.forwarded
    FROM jsonb_array_elements(reqs) WITH ORDINALITY AS r(v, i),
         jsonb_to_recordset(r.v->'rows') AS t(id uuid, workspace_id uuid, server_id uuid, grant_id uuid, request_id text,
           at timestamptz, method text, tool text, decision text, code text, rule text, reason text, upstream_status int,
           gateway_ms float8, upstream_ms float8, argument_names jsonb, arguments_sha256 text, forwarded boolean, call int)
   WHERE confirmed[r.i] AND (t.call IS NULL OR result->(r.i::int - 1)->'calls'->t.call = 'null'::jsonb);

  RETURN result;
END $$;
