import { catalogServerHref, catalogToolHref } from "@/components/catalog/catalog-href";
import type { Sql } from "@/lib/catalog/catalog-transaction";

// The catalog's pages for search engines, as a sitemap index (/sitemap.xml) and its parts (/sitemaps/<part>.xml).
// A sitemap may list at most 50,000 pages, and a catalog of 500,000 tools would make one listing of them all a
// full read of the catalog for any anonymous request: so each part lists at most PART_SIZE pages, found along an
// index (servers by name; tools by their place in the server order, which the search table numbers 1..n).

export const SITEMAP_PART_SIZE = 40_000;

export type SitemapPart = { kind: "servers" | "tools"; index: number };

export interface SitemapEntry {
  path: string;
  lastModified: Date | null;
}

export interface SitemapOptions {
  /** Pages per part: SITEMAP_PART_SIZE, smaller only in tests. */
  partSize?: number;
}

/** The parts the catalog needs now: at least one of servers (it also lists the catalog's own pages). */
export async function sitemapParts(sql: Sql, { partSize = SITEMAP_PART_SIZE }: SitemapOptions = {}): Promise<SitemapPart[]> {
  const { rows } = await sql.query<{ servers: number; tools: number }>(
    `SELECT (SELECT count(*)::int FROM catalog_servers WHERE status <> 'deleted') AS servers,
            (SELECT coalesce(max(server_position), 0)::int FROM catalog_tool_search) AS tools`,
  );
  const count = (n: number) => Math.ceil(n / partSize);
  return [
    ...Array.from({ length: Math.max(1, count(rows[0]!.servers)) }, (_, index) => ({ kind: "servers" as const, index })),
    ...Array.from({ length: count(rows[0]!.tools) }, (_, index) => ({ kind: "tools" as const, index })),
  ];
}

export const sitemapPartName = (part: SitemapPart) => `${part.kind}-${part.index}.xml`;

/** "tools-3.xml" as a part, or null for anything else. */
export function readSitemapPartName(name: string): SitemapPart | null {
  const match = /^(servers|tools)-(0|[1-9][0-9]{0,5})\.xml$/.exec(name);
  return match ? { kind: match[1] as SitemapPart["kind"], index: Number(match[2]) } : null;
}

/**
 * The pages of one part, or null for a part past the catalog's end. A part the index lists may hold no page now (its
 * tools' servers were all deleted since): it answers an empty list, not "no such sitemap", so a crawler reading the
 * index never meets a part that is missing.
 */
export async function sitemapPartEntries(sql: Sql, part: SitemapPart, options: SitemapOptions = {}): Promise<SitemapEntry[] | null> {
  const entries = await sitemapEntries(sql, part, options);
  if (entries.length > 0) return entries;
  const parts = await sitemapParts(sql, options);
  return parts.some((p) => p.kind === part.kind && p.index === part.index) ? entries : null;
}

/** The pages of one part (none past the last part). */
export async function sitemapEntries(sql: Sql, part: SitemapPart, { partSize = SITEMAP_PART_SIZE }: SitemapOptions = {}): Promise<SitemapEntry[]> {
  if (part.kind === "servers") {
    const { rows } = await sql.query<{ name: string; updated_at: Date }>(
      `SELECT name, updated_at FROM catalog_servers WHERE status <> 'deleted' ORDER BY name LIMIT $1 OFFSET $2`,
      [partSize, part.index * partSize],
    );
    const own = part.index === 0 ? [{ path: "/catalog", lastModified: null }, { path: "/risk-levels", lastModified: null }] : [];
    return [...own, ...rows.map((row) => ({ path: catalogServerHref(row.name), lastModified: row.updated_at }))];
  }
  const { rows } = await sql.query<{ server: string; tool: string; updated_at: Date }>(
    `SELECT t.server_name AS server, t.name AS tool, s.updated_at
       FROM catalog_tool_search x
       JOIN catalog_facet_sets f ON f.id = x.facet_set AND NOT f.deleted
       JOIN catalog_tools t ON t.id = x.tool_id
       JOIN catalog_servers s ON s.id = t.server_id
      WHERE x.server_position > $1 AND x.server_position <= $1 + $2
      ORDER BY x.server_position`,
    [part.index * partSize, partSize],
  );
  return rows.map((row) => ({ path: catalogToolHref(row.server, row.tool), lastModified: row.updated_at }));
}

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function urlsetXml(origin: string, entries: readonly SitemapEntry[]): string {
  const urls = entries.map(
    (e) => `<url><loc>${escapeXml(origin + e.path)}</loc>${e.lastModified ? `<lastmod>${e.lastModified.toISOString()}</lastmod>` : ""}</url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join("\n")}\n</urlset>\n`;
}

export function sitemapIndexXml(origin: string, parts: readonly SitemapPart[]): string {
  const items = parts.map((part) => `<sitemap><loc>${escapeXml(`${origin}/sitemaps/${sitemapPartName(part)}`)}</loc></sitemap>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${items.join("\n")}\n</sitemapindex>\n`;
}
