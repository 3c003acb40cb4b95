import { createHash } from "node:crypto";
import { checkTool, type CheckedTool } from "@/lib/catalog/check-tool";
import { cleanJson, jsonDepth } from "@/lib/catalog/clean-json";
import { clampText, cleanLine } from "@/lib/catalog/clean-text";
import { IssueList, type CatalogIssue } from "@/lib/catalog/issues";
import { MAX_JSON_DEPTH, MAX_TOOLS } from "@/lib/catalog/limits";
import { canonicalJson } from "@/lib/policy/canonical-json";

// The crawler's listing of a server's tools (`_meta["portcullis/listing"]`, see catalog-format in the README): the
// tools as listed, their digest, when and how they were listed. A listing that cannot be trusted as a whole (not an
// object, too many tools, nested past any schema) is refused; a bad tool is dropped with its reason.

export const LISTING_KEY = "portcullis/listing";

export interface CheckedListing {
  tools: CheckedTool[];
  /** The digest of the tools as listed: the file's own when it matches them. */
  toolsSha256: string;
  listedAt: Date | null;
  via: Record<string, unknown> | null;
}

export function checkListing(raw: unknown): { ok: true; listing: CheckedListing; issues: CatalogIssue[] } | { ok: false; reason: string } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { ok: false, reason: `_meta["${LISTING_KEY}"] is not an object.` };
  const record = raw as Record<string, unknown>;
  const tools = record.tools;
  if (!Array.isArray(tools)) return { ok: false, reason: `_meta["${LISTING_KEY}"].tools is not a list of tools.` };
  if (tools.length > MAX_TOOLS) {
    return { ok: false, reason: `The listing holds ${tools.length.toLocaleString("en-US")} tools; at most ${MAX_TOOLS.toLocaleString("en-US")} are accepted.` };
  }
  // Tools nest inside the file's own levels; anything past the schema bound plus those is no real listing.
  if (jsonDepth(tools, MAX_JSON_DEPTH + 4) > MAX_JSON_DEPTH + 4) {
    return { ok: false, reason: `The listing nests deeper than ${MAX_JSON_DEPTH} levels.` };
  }

  const issues = new IssueList();
  const digest = createHash("sha256").update(canonicalJson(tools)).digest("hex");
  if (record.toolsSha256 !== digest) {
    issues.add(
      "toolsSha256",
      typeof record.toolsSha256 === "string"
        ? "It does not match the tools listed; the digest of the tools as listed is kept instead."
        : "It is missing; the digest of the tools as listed is kept.",
    );
  }

  const kept: CheckedTool[] = [];
  const seen = new Map<string, number>();
  tools.forEach((entry, index) => {
    const checked = checkTool(entry);
    if (!checked.ok) {
      issues.add(`tools[${index}]`, `This tool was dropped: ${checked.reason}`);
      return;
    }
    const first = seen.get(checked.tool.name);
    if (first !== undefined) {
      issues.add(`tools[${index}]`, `This tool was dropped: it repeats the name “${checked.tool.name}” of tools[${first}].`);
      return;
    }
    seen.set(checked.tool.name, index);
    for (const issue of checked.tool.issues) issues.add(`tools[${index}].${issue.path}`, issue.reason);
    kept.push(checked.tool);
  });

  // What the crawler itself left out or changed while listing, in its own words.
  if (Array.isArray(record.notes)) {
    for (const note of record.notes.slice(0, 50)) if (typeof note === "string") issues.add("notes", clampText(cleanLine(note).text, 1_000).text);
  }

  let listedAt: Date | null = null;
  if (typeof record.listedAt === "string" && !Number.isNaN(Date.parse(record.listedAt))) listedAt = new Date(record.listedAt);
  else issues.add("listedAt", "It is not a date; the listing is kept without one.");

  let via: Record<string, unknown> | null = null;
  if (typeof record.via === "object" && record.via !== null && !Array.isArray(record.via)) {
    const cleaned = cleanJson(record.via, 8);
    if (!cleaned.tooDeep) via = cleaned.value as Record<string, unknown>;
    else issues.add("via", "It nests too deeply; it was left out.");
  }

  return { ok: true, listing: { tools: kept, toolsSha256: digest, listedAt, via }, issues: issues.list };
}
