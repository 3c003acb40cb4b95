import type { CheckedServer } from "@/lib/catalog/check-server-entry";

/** A checked server entry's registry fields as the columns of catalog_servers (for jsonb_to_recordset). */
export function serverEntryRow(s: CheckedServer) {
  return {
    name: s.name,
    title: s.title,
    description: s.description,
    version: s.version,
    repository_url: s.repositoryUrl,
    website_url: s.websiteUrl,
    packages: s.packages,
    remotes: s.remotes,
    transports: s.transports,
    registry_types: s.registryTypes,
    issues: s.issues,
  };
}
