import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { RegisterServerLink } from "@/components/servers/register-server-link";
import { ServerList } from "@/components/servers/server-list";

export const metadata: Metadata = { title: "Servers" };

export default function ServersPage() {
  return (
    <>
      <PageHeader
        title="Servers"
        description="The MCP servers your agents reach through Portcullis, with every tool they offer and its risk."
        actions={<RegisterServerLink />}
      />
      <ServerList />
    </>
  );
}
