// What a catalog entry may hold. Entries come from files and registries we do not control, so every size is bounded
// and anything past a bound is refused or cut with a recorded reason, never trusted to fit.

/** A server's file (its tool listing with it); a larger one is refused unread. */
export const MAX_LISTING_BYTES = 10 * 1024 * 1024;
/** Tools in one listing; a listing with more is refused. */
export const MAX_TOOLS = 5_000;
/** MCP asks for at most 128 characters; the policy language (and the crawler) take up to 256. */
export const MAX_TOOL_NAME_LENGTH = 256;
/** The official registry's pattern and length for a server name (reverse-DNS namespace, one slash). */
export const SERVER_NAME_PATTERN = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
export const MAX_SERVER_NAME_LENGTH = 200;
export const MAX_TITLE_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 32_768;
export const MAX_VERSION_LENGTH = 255;
export const MAX_URL_LENGTH = 2_048;
/** A tool's input or output schema, as JSON. */
export const MAX_SCHEMA_BYTES = 512 * 1024;
/** Nesting of any JSON value kept (schemas, packages, remotes): deeper ones are refused. */
export const MAX_JSON_DEPTH = 64;
export const MAX_PACKAGES = 32;
export const MAX_REMOTES = 32;
export const MAX_ARGUMENT_NAMES = 256;
/**
 * Matches a search reads at most to count and rank them: a text matching more (a word in most of the catalog) gets
 * at-least counts and an unranked page (lib/catalog/search-catalog.ts), so no public search costs more than this.
 */
export const BROAD_SEARCH_MATCHES = 50_000;
