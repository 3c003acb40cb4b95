// The catalog is public and changes only when a snapshot loads or a registry is imported: a minute of caching by
// browsers and proxies is safe and spares the database.
export const CATALOG_CACHE_HEADERS = { "cache-control": "public, max-age=60" };
