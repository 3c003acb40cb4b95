import type { Metadata } from "next";
import { GrantsView } from "@/components/grants/grants-view";
import { PageHeader } from "@/components/page-header";

export const metadata: Metadata = { title: "Grants" };

export default async function GrantsPage({ searchParams }: { searchParams: Promise<{ server?: string | string[] }> }) {
  // ?server=<id> (from a server's Connect section) preselects that server in the form.
  const { server } = await searchParams;
  return (
    <>
      <PageHeader
        title="Grants"
        description="Keys for your agents and clients. Each grant reaches only the servers it names, and can be revoked at once without touching the others."
      />
      <GrantsView preselectedServerId={typeof server === "string" ? server : undefined} />
    </>
  );
}
