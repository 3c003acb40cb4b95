import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ToolDetailView } from "@/components/tools/tool-detail";

export const metadata: Metadata = { title: "Tool" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function ToolPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  return <ToolDetailView id={id} />;
}
