import type { PolicyVersion } from "@/lib/generated/prisma/client";

export function toPolicyVersionSummary(row: PolicyVersion) {
  return { version: row.version, message: row.message, createdBy: row.createdBy, createdAt: row.createdAt.toISOString() };
}

export function toPolicyVersionView(row: PolicyVersion) {
  return { ...toPolicyVersionSummary(row), text: row.text, document: row.document as Record<string, unknown> };
}
