// SQL shared by the statements that write and search the catalog.

/** Risk levels in order, for SQL: array_position(LEVELS, level) ranks them 1 to 4. */
export const LEVELS_SQL = "ARRAY['low','medium','high','critical']";

/**
 * A tool's search vector: name A, title and description B, argument names C, its server's short name and title D
 * (the namespace of the server's name is left out: where a server is published says nothing of what its tools do).
 * Defined in SQL (migration 20261218120000_catalog_search_without_namespace), which recomputed the stored ones.
 */
export const TOOL_VECTOR_SQL = (tool: string, server: string) =>
  `catalog_tool_search_vector(${tool}.name, ${tool}.title, ${tool}.description, ${tool}.argument_names, ${server}.name, ${server}.title)`;

/**
 * A server's search vector: its short name A, title and description B, its tools' names (`toolNames`: text) and its
 * repository's owner and name C. Defined in the same migration.
 */
export const SERVER_VECTOR_SQL = (server: string, toolNames: string) =>
  `catalog_server_search_vector(${server}.name, ${server}.title, ${server}.description, ${server}.repository_url, ${toolNames})`;
