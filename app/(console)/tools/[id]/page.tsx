import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { toolTitle, UUID_PATTERN } from "@/lib/servers/page-titles";
import { ToolDetailView } from "@/components/tools/tool-detail";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: (await toolTitle((await params).id)) ?? "Tool" };
}

export default async function ToolPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID_PATTERN.test(id)) notFound();
  return <ToolDetailView id={id} />;
}
