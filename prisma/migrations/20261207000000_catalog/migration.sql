-- The catalog (issue 17): public MCP servers and their tools, risk-classified, searchable with typo tolerance.

-- pg_trgm (trigram similarity) corrects misspelt search terms and finds tools with close names. It ships with
-- PostgreSQL (contrib), the embedded one included, and is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The words search sees in a name: invisible characters (soft hyphens, zero-width ones, tags) removed, camelCase
-- split, lower case, and every other character that is not part of a word made one space: ASCII punctuation and
-- controls, Latin-1 and general punctuation, spaces of any script ("readFile" and "read_file" both give "read file").
-- Letters and digits of every script are kept, and words are separated by single ASCII spaces (the list is explicit,
-- so the result does not depend on the database's locale).
CREATE FUNCTION catalog_search_words(input TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT btrim(regexp_replace(lower(regexp_replace(
                   regexp_replace(coalesce(input, ''), '[\xad\u200b-\u200d\u2060\ufeff\U000e0000-\U000e007f]+', '', 'g'),
                   '([a-z0-9])([A-Z])', '\1 \2', 'g')),
                 '[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\xa9\xab-\xb4\xb6-\xb9\xbb-\xbf\xd7\xf7\u1680\u180e\u2000-\u206f\u2e00-\u2e7f\u3000-\u303f\ufe30-\ufe4f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\ufff0-\uffff\U000e0000-\U000e007f]+',
                 ' ', 'g')) $$;

-- 1. Servers, in the official MCP Registry's terms, with the listing our crawler made (or none yet).
CREATE TABLE "catalog_servers" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "title" TEXT,
    "description" TEXT,
    "version" TEXT,
    "repository_url" TEXT,
    "website_url" TEXT,
    "packages" JSONB NOT NULL DEFAULT '[]',
    "remotes" JSONB NOT NULL DEFAULT '[]',
    "transports" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "registry_types" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" TEXT NOT NULL DEFAULT 'active',
    "status_message" TEXT,
    "source" TEXT NOT NULL,
    "registry_url" TEXT,
    "registry_updated_at" TIMESTAMPTZ(3),
    "listed_at" TIMESTAMPTZ(3),
    "via" JSONB,
    "tools_sha256" TEXT,
    "tool_count" INTEGER NOT NULL DEFAULT 0,
    "max_level" TEXT,
    "categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "issues" JSONB NOT NULL DEFAULT '[]',
    "search_vector" TSVECTOR,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "catalog_servers_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "catalog_servers_name_key" ON "catalog_servers"("name");
CREATE INDEX "catalog_servers_search_vector_idx" ON "catalog_servers" USING GIN ("search_vector");
CREATE INDEX "catalog_servers_status_idx" ON "catalog_servers"("status");

-- 2. Their tools, with the risk the classifier gave and the classifier version that gave it. The server's name,
--    status, transports and package registries are copied in, so a search with facets reads this table alone.
CREATE TABLE "catalog_tools" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "server_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT,
    "description" TEXT,
    "input_schema" JSONB NOT NULL,
    "output_schema" JSONB,
    "annotations" JSONB,
    "argument_names" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "definition_sha256" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "reasons" JSONB NOT NULL,
    "classifier_version" INTEGER NOT NULL,
    "issues" JSONB NOT NULL DEFAULT '[]',
    "server_name" TEXT NOT NULL,
    "server_status" TEXT NOT NULL,
    "transports" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "registry_types" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "search_vector" TSVECTOR,

    CONSTRAINT "catalog_tools_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "catalog_tools_server_id_name_key" ON "catalog_tools"("server_id", "name");
CREATE INDEX "catalog_tools_search_vector_idx" ON "catalog_tools" USING GIN ("search_vector");
CREATE INDEX "catalog_tools_name_trgm_idx" ON "catalog_tools" USING GIN ("name" gin_trgm_ops);
CREATE INDEX "catalog_tools_classifier_version_idx" ON "catalog_tools"("classifier_version");
ALTER TABLE "catalog_tools" ADD CONSTRAINT "catalog_tools_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "catalog_servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 3. The words of names, titles and argument names, for correcting misspelt search terms.
CREATE TABLE "catalog_words" (
    "word" TEXT NOT NULL,

    CONSTRAINT "catalog_words_pkey" PRIMARY KEY ("word")
);
CREATE INDEX "catalog_words_word_trgm_idx" ON "catalog_words" USING GIN ("word" gin_trgm_ops);

-- 4. Each snapshot load and registry import, with what it refused or cleaned and why.
CREATE TABLE "catalog_runs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "digest" TEXT,
    "classifier_version" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'running',
    "error" TEXT,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "issues" JSONB NOT NULL DEFAULT '[]',
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "catalog_runs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "catalog_runs_kind_source_started_at_idx" ON "catalog_runs"("kind", "source", "started_at");
