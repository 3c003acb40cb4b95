import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { serverTitle, UUID_PATTERN } from "@/lib/servers/page-titles";
import { Suspense } from "react";
import { ServerDetail } from "@/components/servers/server-detail";
import { LoadingText } from "@/components/ui/loading-text";
import { publicUrl } from "@/lib/env";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: (await serverTitle((await params).id)) ?? "Server" };
}

export default async function ServerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID_PATTERN.test(id)) notFound();
  return (
    // The tools table keeps its filters in the URL's search params, which are only known in the browser.
    <Suspense fallback={<LoadingText>Loading the server…</LoadingText>}>
      <ServerDetail id={id} publicOrigin={publicUrl() ?? null} />
    </Suspense>
  );
}
