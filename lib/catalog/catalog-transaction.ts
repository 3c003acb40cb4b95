import type pg from "pg";

// Every write to the catalog (a snapshot load, a registry import, a reclassification) runs in one transaction under
// one advisory lock, so instances starting together and an import running meanwhile take turns instead of mixing
// their rows. Readers are never blocked: they see the catalog before or after, never halfway.

const CATALOG_LOCK_KEY = 72_707_370; // migrations use 72_707_369

export type Sql = Pick<pg.ClientBase, "query">;

export async function inCatalogTransaction<T>(client: pg.ClientBase, work: (sql: Sql) => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [CATALOG_LOCK_KEY]);
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}
