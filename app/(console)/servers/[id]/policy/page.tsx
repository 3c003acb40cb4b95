import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { loadCatalogProposal } from "@/components/catalog/load-catalog-proposal";
import { PolicyEditor } from "@/components/policy/policy-editor";
import { serverTitle, UUID_PATTERN } from "@/lib/servers/page-titles";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const name = await serverTitle((await params).id);
  return { title: name ? `Policy for ${name}` : "Policy" };
}

export default async function ServerPolicyPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  if (!UUID_PATTERN.test(id)) notFound();
  // "Use this policy" on a catalog tool lands here with ?catalogServer=&catalogTool=: the draft starts with its rule.
  const { proposal, problem } = await loadCatalogProposal(await searchParams);
  return <PolicyEditor serverId={id} proposal={proposal} proposalProblem={problem} />;
}
