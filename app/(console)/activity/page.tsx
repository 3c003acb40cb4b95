import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/not-built-yet";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Activity" };

export default function ActivityPage() {
  return (
    <>
      <PageHeader title="Activity" description="Every call your agents make through a gateway URL, and what Portcullis decided." />
      <EmptyState title="No activity yet">
        <p>
          When an agent calls a tool through Portcullis, the call will appear here as it happens: the tool, the key
          it used, the decision, the rule that made it, and how long it took. Argument values are never recorded.
        </p>
        <NotBuiltYet feature="the gateway" />
      </EmptyState>
    </>
  );
}
