// Catalog search words as the loader wrote them before migration 20261218120000_catalog_search_without_namespace
// (the whole server name, namespace included, in every tool's words and the namespace in every server's): for the
// test that a database loaded before it gets its words recomputed. `t` is a catalog tool, `s` its server; for a
// server's words, `t.tool_names` its tools' names.

export const NAMESPACE_MIGRATION = "20261218120000_catalog_search_without_namespace";

export const OLD_TOOL_WORDS = `
  setweight(to_tsvector('english', catalog_search_words(t.name)), 'A') ||
  setweight(to_tsvector('english', coalesce(t.title, '') || ' ' || coalesce(t.description, '')), 'B') ||
  setweight(to_tsvector('english', catalog_search_words(array_to_string(t.argument_names, ' '))), 'C') ||
  setweight(to_tsvector('english', catalog_search_words(s.name) || ' ' || coalesce(s.title, '')), 'D')`;

export const OLD_SERVER_WORDS = `
  setweight(to_tsvector('english', catalog_search_words(split_part(s.name, '/', 2))), 'A') ||
  setweight(to_tsvector('english', catalog_search_words(split_part(s.name, '/', 1))), 'C') ||
  setweight(to_tsvector('english', coalesce(s.title, '') || ' ' || coalesce(s.description, '')), 'B') ||
  setweight(to_tsvector('english', catalog_search_words(coalesce(t.tool_names, ''))), 'C')`;
