-- The catalog's pages at 50,000 servers and 500,000 tools (issue 17, "Scale and speed"). A search used to read every
-- matching row of catalog_tools (1.4 kB a row on average: 700 MB of heap for 500,000 tools), rank all of them and
-- count facets over them; a misspelt word was looked for with a sequential scan; similar tools were found by computing
-- trigram similarity for every tool sharing a trigram. Measured on the 2-core machine: search with facets p95 about
-- 3.5 s, a tool's page p95 about 1.5 s. What follows gives search a small row per tool and per server, filters and
-- facets a small table of value combinations, and similar tools a table of distinct names. lib/catalog/
-- refresh-catalog-search.ts fills them (a load rebuilds them; an import or a status change refreshes its servers').

-- 1. Facet sets: each combination of the values the filters and facets count by (level, categories, transports,
--    package registries, and whether the server is deleted). A search counts its matches per set, so facets are sums
--    over a few dozen rows; the number of tools and servers in each set, kept by the triggers below, answers a
--    search without text without counting anything.
CREATE TABLE "catalog_facet_sets" (
    "id" SERIAL NOT NULL,
    "level" TEXT,
    "categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "transports" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "registry_types" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "tools" INTEGER NOT NULL DEFAULT 0,
    "servers" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "catalog_facet_sets_pkey" PRIMARY KEY ("id")
);

-- 2. A search row per tool, about 140 bytes, so a search that matches tens of thousands of tools visits a few
--    thousand pages that stay in memory. Its facet set, its level and its place in the orders people sort by (numbers
--    computed by the rebuild) are inline; the words it matches (the tool's search_vector, stripped of positions) are
--    stored out of line: the GIN index finds the matches without reading them. PostgreSQL moves a value out of line
--    only when the row it writes is over about 2 kB (TOAST_TUPLE_THRESHOLD, whatever toast_tuple_target says), so
--    toast_pad (2 kB of spaces by default, stored compressed inline, about 35 bytes) makes every written row long
--    enough, and toast_tuple_target = 128 then moves the words out. Every other variable-length column is MAIN, or the
--    same rule would move it out too.
CREATE TABLE "catalog_tool_search" (
    "tool_id" UUID NOT NULL,
    "facet_set" INTEGER NOT NULL,
    "level_rank" INTEGER NOT NULL,
    "name_position" INTEGER NOT NULL,
    "server_position" INTEGER NOT NULL,
    "name_vector" TSVECTOR NOT NULL,
    "search_vector" TSVECTOR NOT NULL,
    "toast_pad" TEXT DEFAULT repeat(' ', 2048),

    CONSTRAINT "catalog_tool_search_pkey" PRIMARY KEY ("tool_id")
) WITH (toast_tuple_target = 128);
ALTER TABLE "catalog_tool_search" ALTER COLUMN "name_vector" SET STORAGE MAIN, ALTER COLUMN "toast_pad" SET STORAGE MAIN;
CREATE INDEX "catalog_tool_search_search_vector_idx" ON "catalog_tool_search" USING GIN ("search_vector");
-- The sorts of a search without text walk these in order.
CREATE INDEX "catalog_tool_search_level_rank_name_position_idx" ON "catalog_tool_search"("level_rank" DESC, "name_position");
CREATE INDEX "catalog_tool_search_name_position_idx" ON "catalog_tool_search"("name_position");
CREATE INDEX "catalog_tool_search_server_position_idx" ON "catalog_tool_search"("server_position");
ALTER TABLE "catalog_tool_search" ADD CONSTRAINT "catalog_tool_search_tool_id_fkey" FOREIGN KEY ("tool_id") REFERENCES "catalog_tools"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 3. The same for servers (their names are kept inline: imports add servers one page at a time, so there is no
--    rebuild to number them).
CREATE TABLE "catalog_server_search" (
    "server_id" UUID NOT NULL,
    "facet_set" INTEGER NOT NULL,
    "level_rank" INTEGER NOT NULL,
    "tool_count" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "name_vector" TSVECTOR NOT NULL,
    "search_vector" TSVECTOR NOT NULL,
    "toast_pad" TEXT DEFAULT repeat(' ', 2048),

    CONSTRAINT "catalog_server_search_pkey" PRIMARY KEY ("server_id")
) WITH (toast_tuple_target = 128);
ALTER TABLE "catalog_server_search" ALTER COLUMN "name" SET STORAGE MAIN, ALTER COLUMN "name_vector" SET STORAGE MAIN,
    ALTER COLUMN "toast_pad" SET STORAGE MAIN;
CREATE INDEX "catalog_server_search_search_vector_idx" ON "catalog_server_search" USING GIN ("search_vector");
CREATE INDEX "catalog_server_search_name_idx" ON "catalog_server_search"("name");
CREATE INDEX "catalog_server_search_level_rank_name_idx" ON "catalog_server_search"("level_rank" DESC, "name");
CREATE INDEX "catalog_server_search_tool_count_name_idx" ON "catalog_server_search"("tool_count" DESC, "name");
ALTER TABLE "catalog_server_search" ADD CONSTRAINT "catalog_server_search_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "catalog_servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 4. Each statement that adds, removes or moves search rows (cascades from deleted tools and servers included) keeps
--    the counts of the facet sets exact, in one update per statement.
CREATE FUNCTION catalog_count_tool_search() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE catalog_facet_sets f SET tools = f.tools - o.n
      FROM (SELECT facet_set, count(*)::int AS n FROM old_rows GROUP BY facet_set) o WHERE f.id = o.facet_set;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE catalog_facet_sets f SET tools = f.tools + o.n
      FROM (SELECT facet_set, count(*)::int AS n FROM new_rows GROUP BY facet_set) o WHERE f.id = o.facet_set;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER catalog_tool_search_inserted AFTER INSERT ON "catalog_tool_search"
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_count_tool_search();
CREATE TRIGGER catalog_tool_search_updated AFTER UPDATE ON "catalog_tool_search"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_count_tool_search();
CREATE TRIGGER catalog_tool_search_deleted AFTER DELETE ON "catalog_tool_search"
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_count_tool_search();

CREATE FUNCTION catalog_count_server_search() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE catalog_facet_sets f SET servers = f.servers - o.n
      FROM (SELECT facet_set, count(*)::int AS n FROM old_rows GROUP BY facet_set) o WHERE f.id = o.facet_set;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE catalog_facet_sets f SET servers = f.servers + o.n
      FROM (SELECT facet_set, count(*)::int AS n FROM new_rows GROUP BY facet_set) o WHERE f.id = o.facet_set;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER catalog_server_search_inserted AFTER INSERT ON "catalog_server_search"
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_count_server_search();
CREATE TRIGGER catalog_server_search_updated AFTER UPDATE ON "catalog_server_search"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_count_server_search();
CREATE TRIGGER catalog_server_search_deleted AFTER DELETE ON "catalog_server_search"
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_count_server_search();

-- 5. The distinct tool names (500,000 tools have about 150,000), for "similar tools": trigram search over them, then
--    each close name's tools through the b-tree below.
CREATE TABLE "catalog_tool_names" (
    "name" TEXT NOT NULL,

    CONSTRAINT "catalog_tool_names_pkey" PRIMARY KEY ("name")
);
CREATE INDEX "catalog_tool_names_name_trgm_idx" ON "catalog_tool_names" USING GIN ("name" gin_trgm_ops);

-- The names at least `threshold` similar to `target`. A higher threshold lets the index skip most names sharing a common
-- trigram, so callers try high ones first. The planner prices trigram similarity like a comparison and would compare
-- every name (0.4 s for 150,000) rather than read the index (a few ms): the function has it read the index, and `%`
-- use this threshold; both settings are restored when it returns.
CREATE FUNCTION catalog_close_tool_names(target TEXT, threshold REAL) RETURNS TABLE (close_name TEXT, close_similarity REAL)
    LANGUAGE plpgsql STABLE
    SET enable_seqscan = off
    SET pg_trgm.similarity_threshold = 0.3
    AS $$
BEGIN
  PERFORM set_config('pg_trgm.similarity_threshold', threshold::text, true);
  RETURN QUERY SELECT n.name, similarity(n.name, target) FROM catalog_tool_names n WHERE n.name % target;
END $$;

-- 6. catalog_tools by name: the tools of one name, by server (similar tools), and the servers sharing a registered
--    server's tool names (find-catalog-match.ts), both read from the index alone.
CREATE INDEX "catalog_tools_name_server_name_server_status_server_id_idx" ON "catalog_tools"("name", "server_name", "server_status", "server_id");

-- 7. Indexes nothing reads any more: search goes through the tables above.
DROP INDEX "catalog_tools_search_vector_idx";
DROP INDEX "catalog_tools_name_trgm_idx";
DROP INDEX "catalog_servers_search_vector_idx";
