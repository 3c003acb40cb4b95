// SQL shared by the statements that write and search the catalog.

/** Risk levels in order, for SQL: array_position(LEVELS, level) ranks them 1 to 4. */
export const LEVELS_SQL = "ARRAY['low','medium','high','critical']";

/** A tool's search vector: name A, title and description B, argument names C, its server's name and title D. */
export const TOOL_VECTOR_SQL = (tool: string, server: string) => `
  setweight(to_tsvector('english', catalog_search_words(${tool}.name)), 'A') ||
  setweight(to_tsvector('english', coalesce(${tool}.title, '') || ' ' || coalesce(${tool}.description, '')), 'B') ||
  setweight(to_tsvector('english', catalog_search_words(array_to_string(${tool}.argument_names, ' '))), 'C') ||
  setweight(to_tsvector('english', catalog_search_words(${server}.name) || ' ' || coalesce(${server}.title, '')), 'D')`;

/**
 * A server's search vector: its name after the namespace A (the namespace, io.github.<owner>, is in every name, so it
 * weighs C), title and description B, its tools' names C (`toolNames`: text).
 */
export const SERVER_VECTOR_SQL = (server: string, toolNames: string) => `
  setweight(to_tsvector('english', catalog_search_words(split_part(${server}.name, '/', 2))), 'A') ||
  setweight(to_tsvector('english', catalog_search_words(split_part(${server}.name, '/', 1))), 'C') ||
  setweight(to_tsvector('english', coalesce(${server}.title, '') || ' ' || coalesce(${server}.description, '')), 'B') ||
  setweight(to_tsvector('english', catalog_search_words(coalesce(${toolNames}, ''))), 'C')`;
