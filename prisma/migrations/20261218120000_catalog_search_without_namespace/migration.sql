-- Catalog search words without the namespace of a server's name (issue 17). A registry name's namespace
-- (io.github.<owner>, or a reversed domain such as com.microsoft) says where and by whom a server is published, not
-- what it does; yet every tool's words held it. So "github" matched every tool of every io.github.* server (nearly the
-- whole committed snapshot, and 157,594 of bench:catalog's 500,000 tools) and could not find the GitHub servers and
-- the tools about GitHub among them. From here:
--   a tool's words: its name A, title and description B, argument names C, and its server's short name (after the
--     slash) and title D: a tool of io.github.someone/weather is about weather;
--   a server's words: its short name A, title and description B, its tools' names C, and its repository's owner and
--     name C (who makes it, without the host: github.com/microsoft/playwright-mcp gives "microsoft playwright mcp").
-- These functions are the one definition: the loader's statements call them (lib/catalog/catalog-sql.ts), and this
-- migration recomputes the stored words with them.

-- The owner and name in a repository's URL, as search words (none when there is no URL, or no path).
CREATE FUNCTION catalog_repository_words(url TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT catalog_search_words(regexp_replace(substring(url FROM '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+/([^/?#]+(?:/[^/?#]+)?)'), '\.git$', '')) $$;

-- The words of a server's name, title and repository that misspelt search terms are corrected to (catalog_words).
CREATE FUNCTION catalog_server_name_words(name TEXT, title TEXT, repository_url TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT catalog_search_words(split_part(name, '/', 2) || ' ' || coalesce(title, '')) || ' ' || catalog_repository_words(repository_url) $$;

-- STABLE, not IMMUTABLE, only because array_to_string is: so PostgreSQL may inline these into the statements that call
-- them (an IMMUTABLE function whose body is not is called row by row instead).
CREATE FUNCTION catalog_tool_search_vector(name TEXT, title TEXT, description TEXT, argument_names TEXT[], server_name TEXT, server_title TEXT)
    RETURNS TSVECTOR
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT setweight(to_tsvector('english', catalog_search_words(name)), 'A') ||
                 setweight(to_tsvector('english', coalesce(title, '') || ' ' || coalesce(description, '')), 'B') ||
                 setweight(to_tsvector('english', catalog_search_words(array_to_string(argument_names, ' '))), 'C') ||
                 setweight(to_tsvector('english', catalog_search_words(split_part(server_name, '/', 2)) || ' ' || coalesce(server_title, '')), 'D') $$;

-- `tool_names`: the names of the server's tools, separated by spaces.
CREATE FUNCTION catalog_server_search_vector(name TEXT, title TEXT, description TEXT, repository_url TEXT, tool_names TEXT)
    RETURNS TSVECTOR
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT setweight(to_tsvector('english', catalog_search_words(split_part(name, '/', 2))), 'A') ||
                 setweight(to_tsvector('english', coalesce(title, '') || ' ' || coalesce(description, '')), 'B') ||
                 setweight(to_tsvector('english', catalog_search_words(coalesce(tool_names, '')) || ' ' || catalog_repository_words(repository_url)), 'C') $$;

-- The stored words, recomputed. The search rows take them over in place: a row whose words are stored out of line
-- (see 20261217120000_catalog_search_tables) has its new words stored out of line too, so the rows stay small.
UPDATE catalog_tools t
   SET search_vector = catalog_tool_search_vector(t.name, t.title, t.description, t.argument_names, s.name, s.title)
  FROM catalog_servers s
 WHERE s.id = t.server_id;
UPDATE catalog_servers s
   SET search_vector = catalog_server_search_vector(s.name, s.title, s.description, s.repository_url,
                                                    (SELECT string_agg(t.name, ' ') FROM catalog_tools t WHERE t.server_id = s.id));
UPDATE catalog_tool_search x SET search_vector = strip(t.search_vector) FROM catalog_tools t WHERE t.id = x.tool_id;
UPDATE catalog_server_search x SET search_vector = strip(s.search_vector) FROM catalog_servers s WHERE s.id = x.server_id;

-- The words corrections choose from, as lib/catalog/refresh-catalog-words.ts builds them.
DELETE FROM catalog_words;
INSERT INTO catalog_words (word)
SELECT DISTINCT w FROM (
  SELECT regexp_split_to_table(catalog_server_name_words(name, title, repository_url), ' ') FROM catalog_servers
  UNION ALL
  SELECT regexp_split_to_table(catalog_search_words(name || ' ' || coalesce(title, '') || ' ' || array_to_string(argument_names, ' ')), ' ')
    FROM catalog_tools
) AS words(w)
WHERE length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9]+$';
