import { checkListing, LISTING_KEY, type CheckedListing } from "@/lib/catalog/check-listing";
import { cleanJson } from "@/lib/catalog/clean-json";
import { clampText, cleanLine, cleanProse } from "@/lib/catalog/clean-text";
import { IssueList, type CatalogIssue } from "@/lib/catalog/issues";
import {
  MAX_DESCRIPTION_LENGTH,
  MAX_PACKAGES,
  MAX_REMOTES,
  MAX_SERVER_NAME_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_URL_LENGTH,
  MAX_VERSION_LENGTH,
  SERVER_NAME_PATTERN,
} from "@/lib/catalog/limits";
import { untrustedTextNotes } from "@/lib/catalog/untrusted-text-notes";
import { isPlainObject } from "@/lib/json/is-plain-object";

// One entry in the official MCP Registry's server.json format, from a snapshot file or a registry page: checked and
// cleaned into what the catalog stores. An entry without a usable name is refused; anything else that is wrong is
// left out or cut, each time with the reason.

export interface CheckedServer {
  name: string;
  title: string | null;
  description: string | null;
  version: string | null;
  repositoryUrl: string | null;
  websiteUrl: string | null;
  packages: Record<string, unknown>[];
  remotes: Record<string, unknown>[];
  transports: string[];
  registryTypes: string[];
  /** Null: tools not listed yet. */
  listing: CheckedListing | null;
  issues: CatalogIssue[];
}

export type EntryCheck = { ok: true; server: CheckedServer } | { ok: false; reason: string; name?: string };

const TRANSPORTS = new Set(["stdio", "streamable-http", "sse"]);
const REGISTRY_TYPE = /^[a-z0-9][a-z0-9-]{0,31}$/;

/**
 * `listing: "read"` for our snapshot files; `"ignore"` for registry pages, which hold no tool lists: one that claims
 * to is not believed (tools come only from our crawler).
 */
export function checkServerEntry(raw: unknown, options: { listing: "read" | "ignore" }): EntryCheck {
  if (!isPlainObject(raw)) return { ok: false, reason: "The entry is not a JSON object." };
  const name = raw.name;
  if (typeof name !== "string") return { ok: false, reason: "The entry has no name." };
  if (name.length < 3 || name.length > MAX_SERVER_NAME_LENGTH || !SERVER_NAME_PATTERN.test(name)) {
    return {
      ok: false,
      reason: `The name ${JSON.stringify(name.slice(0, 100))} is not a registry name (namespace/name: letters, digits, dots, dashes and underscores, one slash, at most ${MAX_SERVER_NAME_LENGTH} characters).`,
    };
  }

  const issues = new IssueList();
  let listing: CheckedListing | null = null;
  const meta = raw._meta;
  const rawListing = isPlainObject(meta) ? meta[LISTING_KEY] : undefined;
  if (rawListing !== undefined && options.listing === "ignore") {
    issues.add(`_meta["${LISTING_KEY}"]`, "The registry entry claims a tool listing; it was ignored (tools come only from our own listing).");
  } else if (rawListing !== undefined) {
    const checked = checkListing(rawListing);
    if (!checked.ok) return { ok: false, reason: checked.reason, name };
    listing = checked.listing;
    for (const issue of checked.issues) issues.add(`_meta["${LISTING_KEY}"].${issue.path}`, issue.reason);
  }

  const packages = objectList(raw.packages, "packages", MAX_PACKAGES, issues, (item) =>
    typeof item.registryType === "string" && typeof item.identifier === "string" ? null : "It has no registryType or identifier.",
  );
  const remotes = objectList(raw.remotes, "remotes", MAX_REMOTES, issues, (item) =>
    typeof item.type === "string" && typeof item.url === "string" ? null : "It has no type or url.",
  );

  return {
    ok: true,
    server: {
      name,
      title: line(raw.title, "title", MAX_TITLE_LENGTH, issues),
      description: prose(raw.description, "description", issues),
      version: line(raw.version, "version", MAX_VERSION_LENGTH, issues),
      repositoryUrl: webUrl(isPlainObject(raw.repository) ? raw.repository.url : raw.repository, "repository.url", issues),
      websiteUrl: webUrl(raw.websiteUrl, "websiteUrl", issues),
      packages,
      remotes,
      transports: distinct([
        ...packages.map((p) => (isPlainObject(p.transport) ? p.transport.type : undefined)),
        ...remotes.map((r) => r.type),
      ]).filter((t) => TRANSPORTS.has(t)),
      registryTypes: distinct(packages.map((p) => (typeof p.registryType === "string" ? p.registryType.toLowerCase() : undefined))).filter(
        (t) => REGISTRY_TYPE.test(t),
      ),
      listing,
      issues: issues.list,
    },
  };
}

function distinct(values: unknown[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === "string"))];
}

function line(value: unknown, path: string, max: number, issues: IssueList): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") {
    issues.add(path, "It is not text; it was left out.");
    return null;
  }
  const cleaned = cleanLine(value);
  if (cleaned.changed) issues.add(path, "Control or invisible characters were removed from it.");
  const clamped = clampText(cleaned.text, max);
  if (clamped.changed) issues.add(path, `It was cut to ${max} characters.`);
  return clamped.text || null;
}

function prose(value: unknown, path: string, issues: IssueList): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") {
    issues.add(path, "It is not text; it was left out.");
    return null;
  }
  const cleaned = cleanProse(value);
  if (cleaned.changed) issues.add(path, "Control or invisible characters were removed from it (they can hide text from people while models read it).");
  for (const note of untrustedTextNotes(cleaned.text)) issues.add(path, note);
  const clamped = clampText(cleaned.text, MAX_DESCRIPTION_LENGTH);
  if (clamped.changed) issues.add(path, `It was cut to ${MAX_DESCRIPTION_LENGTH.toLocaleString("en-US")} characters.`);
  return clamped.text || null;
}

/** An http(s) URL a page may link to; anything else (javascript:, data:, malformed) is left out. */
function webUrl(value: unknown, path: string, issues: IssueList): string | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "string" && value.length <= MAX_URL_LENGTH && URL.canParse(value)) {
    const url = new URL(value);
    if ((url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password) return url.toString();
  }
  issues.add(path, "It is not an http(s) URL; it was left out.");
  return null;
}

/** A list of objects (packages, remotes), each cleaned; a malformed item is dropped with the reason. */
function objectList(
  value: unknown,
  path: string,
  max: number,
  issues: IssueList,
  problem: (item: Record<string, unknown>) => string | null,
): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    issues.add(path, "It is not a list; it was left out.");
    return [];
  }
  if (value.length > max) issues.add(path, `Only the first ${max} of ${value.length} were kept.`);
  const kept: Record<string, unknown>[] = [];
  value.slice(0, max).forEach((item, index) => {
    const cleaned = isPlainObject(item) ? cleanJson(item, 16) : null;
    const why = !cleaned || !isPlainObject(cleaned.value) ? "It is not an object." : cleaned.tooDeep ? "It nests too deeply." : problem(cleaned.value);
    if (why) {
      issues.add(`${path}[${index}]`, `It was dropped: ${why}`);
      return;
    }
    if (cleaned!.changed) issues.add(`${path}[${index}]`, "Control or invisible characters were removed from it.");
    kept.push(cleaned!.value as Record<string, unknown>);
  });
  return kept;
}
