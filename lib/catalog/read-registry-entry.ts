import { checkServerEntry, type CheckedServer } from "@/lib/catalog/check-server-entry";
import { clampText, cleanLine } from "@/lib/catalog/clean-text";

// One entry of a registry's list: `{ server: <server.json>, _meta: { "io.modelcontextprotocol.registry/official":
// { status, updatedAt, ... } } }` (v0.1), or a bare server.json carrying that _meta itself (older registries).

export const OFFICIAL_META_KEY = "io.modelcontextprotocol.registry/official";
export const REGISTRY_STATUSES = ["active", "deprecated", "deleted"] as const;
export type RegistryStatus = (typeof REGISTRY_STATUSES)[number];

export interface RegistryEntry {
  server: CheckedServer;
  status: RegistryStatus;
  statusMessage: string | null;
  updatedAt: Date | null;
}

export function readRegistryEntry(item: unknown): { ok: true; entry: RegistryEntry } | { ok: false; reason: string; name?: string } {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return { ok: false, reason: "The entry is not a JSON object." };
  const record = item as Record<string, unknown>;
  const document = record.server ?? record;
  const checked = checkServerEntry(document, { listing: "ignore" });
  if (!checked.ok) return checked;

  const official = metaOf(record)?.[OFFICIAL_META_KEY] ?? metaOf(document)?.[OFFICIAL_META_KEY];
  const meta = typeof official === "object" && official !== null ? (official as Record<string, unknown>) : {};
  let status: RegistryStatus = "active";
  if ((REGISTRY_STATUSES as readonly unknown[]).includes(meta.status)) status = meta.status as RegistryStatus;
  else if (meta.status !== undefined) {
    checked.server.issues.push({ path: `_meta["${OFFICIAL_META_KEY}"].status`, reason: `It is not active, deprecated or deleted; the entry is kept as active.` });
  }
  const message = typeof meta.statusMessage === "string" ? clampText(cleanLine(meta.statusMessage).text, 500).text || null : null;
  const updatedAt = typeof meta.updatedAt === "string" && !Number.isNaN(Date.parse(meta.updatedAt)) ? new Date(meta.updatedAt) : null;
  return { ok: true, entry: { server: checked.server, status, statusMessage: message, updatedAt } };
}

function metaOf(value: unknown): Record<string, unknown> | undefined {
  const meta = typeof value === "object" && value !== null ? (value as { _meta?: unknown })._meta : undefined;
  return typeof meta === "object" && meta !== null ? (meta as Record<string, unknown>) : undefined;
}
