import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PolicyEditor } from "@/components/policy/policy-editor";
import { serverTitle, UUID_PATTERN } from "@/lib/servers/page-titles";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const name = await serverTitle((await params).id);
  return { title: name ? `Policy for ${name}` : "Policy" };
}

export default async function ServerPolicyPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID_PATTERN.test(id)) notFound();
  return <PolicyEditor serverId={id} />;
}
