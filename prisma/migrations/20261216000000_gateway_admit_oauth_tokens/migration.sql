-- The admit statement confirms OAuth access tokens as it confirms grant keys (issue 21). A request's confirmation
-- names the digest of the credential it came with: a grant key's (grants.key_hash), or an OAuth access token's
-- (oauth_tokens.token_hash). For a token, the grant must still be unrevoked and name the server, as for a key, and the
-- token itself must be an access token of that grant for that server, unrevoked and unexpired, now: a token revoked
-- or expired since the lookup was cached fails here, before anything is counted, recorded or forwarded, and the
-- request starts again from the database (lib/gateway/lookup.ts). The token's resource (its gateway URL) is fixed
-- when it is issued and checked by the lookup. Everything else is 20261128000000_gateway_admit_fast_path unchanged.
CREATE OR REPLACE FUNCTION portcullis_admit(reqs JSONB) RETURNS JSONB LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  confirmed BOOLEAN[];
  result JSONB;
  wanted TEXT[];
  got INTEGER;
  inc_keys TEXT[];
  inc_n INTEGER[];
  lk TEXT[];
  lc INTEGER[];
  added INTEGER[];
  req JSONB;
  counted JSONB;
  one_call JSONB;
  full_keys TEXT[];
  p INTEGER;
BEGIN
  WITH r AS MATERIALIZED (
         SELECT r.v, r.i,
                EXISTS (SELECT 1 FROM grants g JOIN grant_servers gs ON gs.grant_id = g.id
                         WHERE g.id = (r.v->'c'->>'g')::uuid AND g.revoked_at IS NULL
                           AND gs.server_id = (r.v->'c'->>'s')::uuid
                           AND (g.key_hash = r.v->'c'->>'k'
                                OR EXISTS (SELECT 1 FROM oauth_tokens ot
                                            WHERE ot.token_hash = r.v->'c'->>'k' AND ot.kind = 'access' AND ot.grant_id = g.id
                                              AND ot.server_id = (r.v->'c'->>'s')::uuid AND ot.revoked_at IS NULL
                                              AND ot.expires_at > now())))
            AND EXISTS (SELECT 1 FROM mcp_servers s
                         WHERE s.id = (r.v->'c'->>'s')::uuid AND s.gateway_revision = (r.v->'c'->>'r')::int)
            AND (r.v->'c'->>'x' IS NULL
                 OR EXISTS (SELECT 1 FROM gateway_sessions x
                             WHERE x.id_hash = r.v->'c'->>'x' AND x.grant_id = (r.v->'c'->>'g')::uuid
                               AND x.server_id = (r.v->'c'->>'s')::uuid
                               AND x.last_used_at >= to_timestamp((r.v->'c'->>'a')::float8 / 1000))) AS ok
           FROM jsonb_array_elements(reqs) WITH ORDINALITY AS r(v, i)),
       -- What the confirmed requests' calls ask of each counter.
       want AS MATERIALIZED (
         SELECT c->>0 AS key, min((c->>1)::float8) AS window_end, min((c->>2)::int) AS max, count(*)::int AS n
           FROM r, jsonb_array_elements(r.v->'calls') AS one(call), jsonb_array_elements(one.call) AS c
          WHERE r.ok
          GROUP BY c->>0),
       -- Every counter wanted is locked; it is incremented by n only where all n fit (a new row: inserted at n, or
       -- at 0 when n is over its max). RETURNING gives the rows inserted or updated.
       up AS (
         INSERT INTO rate_limit_counters AS t (key, window_end, count)
         SELECT w.key, to_timestamp(w.window_end / 1000), CASE WHEN w.n <= w.max THEN w.n ELSE 0 END
           FROM want w
          ORDER BY w.key
         ON CONFLICT (key) DO UPDATE SET count = t.count + EXCLUDED.count
          WHERE EXCLUDED.count > 0 AND t.count + EXCLUDED.count <= (SELECT w.max FROM want w WHERE w.key = EXCLUDED.key)
         RETURNING t.key, t.count),
       inc AS (
         SELECT array_agg(u.key) AS keys, array_agg(w.n) AS n
           FROM up u JOIN want w ON w.key = u.key
          WHERE u.count > 0)
  SELECT array_agg(r.ok ORDER BY r.i),
         jsonb_agg(CASE WHEN r.ok
                        THEN jsonb_build_object('ok', true, 'calls', (SELECT coalesce(jsonb_agg(NULL::jsonb), '[]') FROM jsonb_array_elements(r.v->'calls')))
                        ELSE '{"ok": false}' END ORDER BY r.i),
         (SELECT array_agg(w.key) FROM want w), coalesce(cardinality(min(inc.keys)), 0), min(inc.keys), min(inc.n)
    INTO confirmed, result, wanted, got, inc_keys, inc_n
    FROM r, inc;

  IF got < coalesce(cardinality(wanted), 0) THEN
    -- A counter without room for every call: undo, then count call by call (all of a call's counters or none).
    IF got > 0 THEN
      UPDATE rate_limit_counters c SET count = c.count - d.n FROM unnest(inc_keys, inc_n) AS d(key, n) WHERE c.key = d.key;
    END IF;
    SELECT array_agg(c.key ORDER BY c.key), array_agg(c.count ORDER BY c.key) INTO lk, lc
      FROM rate_limit_counters c
     WHERE c.key = ANY (wanted);
    added := array_fill(0, ARRAY[coalesce(cardinality(lk), 0)]);
    result := '[]';
    FOR i IN 1..jsonb_array_length(reqs) LOOP
      req := reqs->(i - 1);
      IF NOT confirmed[i] THEN
        result := result || jsonb_build_array(jsonb_build_object('ok', false));
        CONTINUE;
      END IF;
      counted := '[]';
      FOR j IN 0..jsonb_array_length(req->'calls') - 1 LOOP
        one_call := req->'calls'->j;
        full_keys := '{}';
        FOR k IN 0..jsonb_array_length(one_call) - 1 LOOP
          p := array_position(lk, one_call->k->>0);
          -- A row gone since it was locked (a window deleted as expired): refused, never counted blindly.
          IF p IS NULL OR lc[p] + added[p] >= (one_call->k->>2)::int THEN
            full_keys := full_keys || (one_call->k->>0);
          END IF;
        END LOOP;
        IF cardinality(full_keys) = 0 THEN
          FOR k IN 0..jsonb_array_length(one_call) - 1 LOOP
            p := array_position(lk, one_call->k->>0);
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
  END IF;

  -- The rows of confirmed requests, but for those of calls that were not counted (the gateway records their refusal).
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
