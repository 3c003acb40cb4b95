import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/not-built-yet";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Servers" };

export default function ServersPage() {
  return (
    <>
      <PageHeader
        title="Servers"
        description="The MCP servers your agents reach through Portcullis, with every tool they offer and its risk."
      />
      <EmptyState title="No MCP servers yet">
        <p>
          Each server you register will be listed here with its status, its tools, and how many of them are Low,
          Medium, High or Critical risk. You will register a server by its URL; Portcullis then connects, lists its
          tools and explains why each one needs a policy.
        </p>
        <NotBuiltYet feature="registering servers" />
        <p>Meanwhile you can create personal access tokens for the management API in Settings.</p>
      </EmptyState>
    </>
  );
}
