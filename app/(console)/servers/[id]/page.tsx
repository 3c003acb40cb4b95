import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { ServerDetail } from "@/components/servers/server-detail";
import { LoadingText } from "@/components/ui/loading-text";

export const metadata: Metadata = { title: "Server" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function ServerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  return (
    // The tools table keeps its filters in the URL's search params, which are only known in the browser.
    <Suspense fallback={<LoadingText>Loading the server…</LoadingText>}>
      <ServerDetail id={id} />
    </Suspense>
  );
}
