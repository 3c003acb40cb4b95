import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { policyDraftHref } from "@/components/catalog/catalog-href";
import { UseCatalogPolicy } from "@/components/catalog/use-catalog-policy";
import { EmptyState } from "@/components/ui/empty-state";
import { requireCaller } from "@/lib/auth/current-caller";
import { findRegisteredMatches } from "@/lib/catalog/find-registered-matches";
import { getPool } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";

export const metadata: Metadata = { title: "Use a policy from the catalog" };

// Where a catalog tool's "Use this policy" leads (?server=<registry name>&tool=<name>). Signed out, requireCaller sends
// the visitor to sign in and back here. One server of theirs is that catalog server and lists the tool: its policy
// editor opens with the rule in a draft. Otherwise this page offers the choices, or registering the server first.
export default async function UseCatalogPolicyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const caller = await requireCaller();
  const query = await searchParams;
  const server = typeof query.server === "string" ? query.server : "";
  const tool = typeof query.tool === "string" ? query.tool : "";
  if (!server || !tool) {
    return (
      <EmptyState title="Which tool's policy?">
        <p>Open a tool in the catalog and press &ldquo;Use this policy&rdquo; there.</p>
      </EmptyState>
    );
  }
  let found;
  try {
    found = await findRegisteredMatches(getPool(), caller.workspaceId, server, tool);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    return (
      <EmptyState title="Not in the catalog">
        <p>{error.message}</p>
      </EmptyState>
    );
  }
  const ready = found.matches.filter((m) => m.listsTool);
  if (ready.length === 1) redirect(policyDraftHref(ready[0]!.id, found.catalogServer.name, found.tool));
  return <UseCatalogPolicy found={found} />;
}
