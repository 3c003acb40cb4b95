import type { Sql } from "@/lib/catalog/catalog-transaction";
import type { RegistryEntry } from "@/lib/catalog/read-registry-entry";
import { refreshCatalogSearch } from "@/lib/catalog/refresh-catalog-search";
import { addCatalogWords } from "@/lib/catalog/refresh-catalog-words";
import { refreshServerSummaries } from "@/lib/catalog/refresh-server-summaries";
import { serverEntryRow } from "@/lib/catalog/server-entry-row";

// A page of registry entries, written in one statement. A new server is stored with no tools ("tools not listed
// yet"). A server our crawler listed keeps its listing and the metadata it was listed with (the package version
// whose tools we know): only its registry status and dates change.

export async function storeRegistryEntries(sql: Sql, registryUrl: string, entries: readonly RegistryEntry[]): Promise<string[]> {
  if (entries.length === 0) return [];
  const rows = entries.map(({ server, status, statusMessage, updatedAt }) => ({
    ...serverEntryRow(server),
    status,
    status_message: statusMessage,
    registry_updated_at: updatedAt?.toISOString() ?? null,
  }));
  const unlisted = (column: string) => `CASE WHEN catalog_servers.tools_sha256 IS NULL THEN EXCLUDED.${column} ELSE catalog_servers.${column} END`;
  const { rows: stored } = await sql.query<{ id: string }>(
    `INSERT INTO catalog_servers (name, title, description, version, repository_url, website_url, packages, remotes, transports,
                                  registry_types, status, status_message, source, registry_url, registry_updated_at, issues, updated_at)
     SELECT x.name, x.title, x.description, x.version, x.repository_url, x.website_url, x.packages, x.remotes, x.transports,
            x.registry_types, x.status, x.status_message, $2, $2, x.registry_updated_at, x.issues, now()
       FROM jsonb_to_recordset($1::jsonb) AS x(name text, title text, description text, version text, repository_url text,
            website_url text, packages jsonb, remotes jsonb, transports text[], registry_types text[], status text,
            status_message text, registry_updated_at timestamptz, issues jsonb)
     ON CONFLICT (name) DO UPDATE SET
            status = EXCLUDED.status, status_message = EXCLUDED.status_message, registry_url = EXCLUDED.registry_url,
            registry_updated_at = EXCLUDED.registry_updated_at, updated_at = now(),
            title = ${unlisted("title")}, description = ${unlisted("description")}, version = ${unlisted("version")},
            repository_url = ${unlisted("repository_url")}, website_url = ${unlisted("website_url")},
            packages = ${unlisted("packages")}, remotes = ${unlisted("remotes")}, transports = ${unlisted("transports")},
            registry_types = ${unlisted("registry_types")}, issues = ${unlisted("issues")}, source = ${unlisted("source")}
     RETURNING id`,
    [JSON.stringify(rows), registryUrl],
  );
  const ids = stored.map((r) => r.id);
  await syncToolStatus(sql, ids);
  await refreshServerSummaries(sql, ids);
  await refreshCatalogSearch(sql, ids);
  await addCatalogWords(sql, ids);
  return ids;
}

/** Tools carry their server's status (so a search reads one table): updated where the registry changed it. */
export async function syncToolStatus(sql: Sql, serverIds: string[] | null): Promise<void> {
  await sql.query(
    `UPDATE catalog_tools t SET server_status = s.status
       FROM catalog_servers s
      WHERE t.server_id = s.id AND t.server_status <> s.status AND ($1::uuid[] IS NULL OR s.id = ANY($1::uuid[]))`,
    [serverIds],
  );
}
