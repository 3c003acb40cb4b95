import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/not-built-yet";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Approvals" };

export default function ApprovalsPage() {
  return (
    <>
      <PageHeader title="Approvals" description="Calls that a policy holds until a person approves or rejects them." />
      <EmptyState title="Nothing is waiting for approval">
        <p>
          When a policy rule says a tool needs approval, each call to it will wait here with its arguments, so you
          can see exactly what would run before you approve or reject it.
        </p>
        <NotBuiltYet feature="approving held calls" />
      </EmptyState>
    </>
  );
}
